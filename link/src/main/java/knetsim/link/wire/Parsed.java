package knetsim.link.wire;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of parsing bytes from the wire. Bad input is an ordinary event in a network, so a codec returns
 * {@link Malformed} with a reason (which becomes a drop reason or a counter) instead of throwing.
 */
public sealed interface Parsed<T> permits Parsed.Ok, Parsed.Malformed {

    /** The bytes were well formed; {@code value} is their typed view. */
    record Ok<T>(T value) implements Parsed<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String reason() {
            throw new IllegalStateException("no reason: the input parsed as " + value);
        }
    }

    /** The bytes were not acceptable; {@code reason} says why in one short phrase, e.g. "truncated: ...". */
    record Malformed<T>(String reason) implements Parsed<T> {
        public Malformed {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public T value() {
            throw new IllegalStateException("malformed: " + reason);
        }
    }

    static <T> Parsed<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Parsed<T> malformed(String reason) {
        return new Malformed<>(reason);
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The parsed value; model code should test {@link #isOk()} first, tests may call it directly. */
    T value();

    /** Why the input was refused; only a {@link Malformed} has one. */
    String reason();

    /** Lets a codec wrap an inner result (e.g. a header inside a frame) without unpacking a failure by hand. */
    default <U> Parsed<U> map(Function<? super T, ? extends U> mapper) {
        if (this instanceof Ok<T> ok) return new Ok<>(mapper.apply(ok.value()));
        return new Malformed<>(reason());
    }
}
