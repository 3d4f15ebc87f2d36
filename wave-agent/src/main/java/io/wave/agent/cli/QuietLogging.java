package io.wave.agent.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logging for the CLI, set up in code (found by logback as a service, before it looks for any
 * logback.xml): the CLI speaks for itself on stdout and stderr, and libraries (Javalin, web3j, the
 * embedded broker) only when something is wrong, on stderr. {@code WAVE_LOG=INFO} or {@code DEBUG} shows
 * more. Done in code because the embedded broker's jar carries a logback.xml of its own, and two on the
 * class path make logback print its status to stdout, where scripts read our output.
 */
public final class QuietLogging extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ConsoleAppender<ILoggingEvent> err = new ConsoleAppender<>();
        err.setContext(context);
        err.setName("err");
        err.setTarget("System.err");
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("wave: %-5level %logger{24}: %msg%n");
        encoder.start();
        err.setEncoder(encoder);
        err.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv("WAVE_LOG"), Level.WARN));
        root.addAppender(err);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
