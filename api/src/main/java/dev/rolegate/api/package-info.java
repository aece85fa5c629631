/** The rolegate application: its entry point, which dispatches to the commands. */
package dev.rolegate.api;
