/** The command-line commands of the jar; each returns an exit code and never a stack trace. */
package dev.rolegate.api.cli;
