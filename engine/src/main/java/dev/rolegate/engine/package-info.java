/** The rolegate engine. */
package dev.rolegate.engine;
