export * from "./group-permissions";
export * from "./rules";
export * from "./decide";
