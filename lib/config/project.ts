/** The project name, and the namespace of every config key this program reads. */
export const PROJECT = "launch-ready";
