/** One choice of the generated project's stack (a framework, a transport): what prompts and `--help` show for it. */
export interface StackChoice {
  /** Value of the flag and of the answer; for frameworks also the template layer `framework/<id>`. */
  id: string;
  /** Prompt title. */
  label: string;
  /** One line shown in prompts and `--help`. */
  hint: string;
}
