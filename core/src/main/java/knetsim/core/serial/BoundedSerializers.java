package knetsim.core.serial;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Serializers that check a declared length against the bytes actually left before allocating, so a corrupt or
 * hostile message cannot make Kryo allocate gigabytes (its own array and String readers trust the length).
 * They rely on the Input being backed by the whole message (as in {@link KryoSerializer}), never a stream.
 */
final class BoundedSerializers {
    private BoundedSerializers() {}

    /** Throws unless {@code count} elements of at least {@code minBytes} each can still fit in the input. */
    static void checkFits(Input input, int count, int minBytes) {
        long remaining = input.limit() - input.position();
        if (count < 0 || (long) count * minBytes > remaining) {
            throw new KryoException("declared length " + count + " exceeds the " + remaining + " bytes left");
        }
    }

    /** Reads a String written by Output.writeString, refusing a UTF-8 char count larger than the bytes left. */
    static String readString(Input input) {
        int start = input.position();
        if (input.readVarIntFlag()) { // flag set: UTF-8 with a char count (0 = null, 1 = ""), else self-terminated ASCII
            int count = input.readVarIntFlag(true);
            if (count > 1) checkFits(input, count - 1, 1);
            input.setPosition(start);
        }
        return input.readString();
    }

    /** Peeks at the varint length prefix (length+1, 0 = null) of Kryo's array formats before delegating. */
    static final class CheckedArray<T> extends Serializer<T> {
        private final Serializer<T> delegate;
        private final int minElementBytes;

        CheckedArray(Serializer<T> delegate, int minElementBytes) {
            super(delegate.getAcceptsNull(), delegate.isImmutable());
            this.delegate = delegate;
            this.minElementBytes = minElementBytes;
        }

        @Override
        public void write(Kryo kryo, Output output, T object) {
            delegate.write(kryo, output, object);
        }

        @Override
        public T read(Kryo kryo, Input input, Class<? extends T> type) {
            int start = input.position();
            int lengthPlusOne = input.readVarInt(true);
            if (lengthPlusOne != Kryo.NULL) checkFits(input, lengthPlusOne - 1, minElementBytes);
            input.setPosition(start);
            return delegate.read(kryo, input, type);
        }
    }

    /** Same wire format as Kryo's StringSerializer. */
    static final class Str extends Serializer<String> {
        Str() {
            super(true, true);
        }

        @Override
        public void write(Kryo kryo, Output output, String object) {
            output.writeString(object);
        }

        @Override
        public String read(Kryo kryo, Input input, Class<? extends String> type) {
            return readString(input);
        }
    }

    /** Same wire format as Kryo's StringArraySerializer without references, whose elements bypass Str. */
    static final class StrArray extends Serializer<String[]> {
        StrArray() {
            super(true, false);
        }

        @Override
        public void write(Kryo kryo, Output output, String[] object) {
            if (object == null) {
                output.writeByte(Kryo.NULL);
                return;
            }
            output.writeVarInt(object.length + 1, true);
            for (String s : object) output.writeString(s);
        }

        @Override
        public String[] read(Kryo kryo, Input input, Class<? extends String[]> type) {
            int lengthPlusOne = input.readVarInt(true);
            if (lengthPlusOne == Kryo.NULL) return null;
            checkFits(input, lengthPlusOne - 1, 1);
            String[] array = new String[lengthPlusOne - 1];
            for (int i = 0; i < array.length; i++) array[i] = readString(input);
            return array;
        }
    }
}
