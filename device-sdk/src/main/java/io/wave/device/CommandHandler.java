package io.wave.device;

/**
 * What a device does for one authorised command. It runs only after the gate accepted the command, may
 * run concurrently with other commands (up to the agent's handler concurrency), and should return
 * promptly: a slow handler holds a slot. An exception becomes a signed {@code HANDLER_ERROR} reply whose
 * detail is the exception's message.
 */
@FunctionalInterface
public interface CommandHandler {
    HandlerResult handle(Invocation invocation) throws Exception;
}
