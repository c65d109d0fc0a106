/** The Python 3 language runtime: native python3 inside bubblewrap. */
export { createPythonRuntime, type PythonRuntimeOptions } from "./runtime";
