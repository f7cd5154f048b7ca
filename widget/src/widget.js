// Placeholder entry point; the widget itself arrives with issue 3.
export {};
