package dev.headlight.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The gate every file of a model folder passes before it is read: it must be a regular file (a named pipe would
 * block forever, /dev/zero would never end) and no larger than the limit for its kind, so memory and time per
 * input stay bounded. Symbolic links are followed (Hugging Face's cache is made of them); what they point at is
 * checked.
 */
public final class InputFiles {
    /** config.json, tokenizer_config.json, generation_config.json and the like: a few kB in practice. */
    public static final long MAX_SMALL_JSON = 16L << 20;
    /** tokenizer.json and model.safetensors.index.json: real ones reach tens of MB (large vocabularies). */
    public static final long MAX_LARGE_JSON = 512L << 20;

    private InputFiles() {
    }

    /**
     * The attributes of {@code file} after checking it is a regular file of at most {@code maxBytes}.
     *
     * @throws FormatException naming the file when it is missing, special, or too large
     */
    public static BasicFileAttributes requireRegular(Path file, long maxBytes) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new FormatException(file, "is missing");
        } catch (IOException e) {
            throw new FormatException(file, "cannot be read (" + e.getMessage() + ")", e);
        }
        if (attributes.isDirectory()) {
            throw new FormatException(file, "is a folder, not a file");
        }
        if (!attributes.isRegularFile()) {
            throw new FormatException(file, "is not a regular file (a named pipe, device or socket); refused"
                    + " without reading it");
        }
        if (attributes.size() > maxBytes) {
            throw new FormatException(file, "is " + attributes.size() + " bytes, more than the limit of "
                    + maxBytes + " bytes for this kind of file");
        }
        return attributes;
    }

    /**
     * The bytes of {@code file}, checked as {@link #requireRegular} does. Reads at most {@code maxBytes}: a file
     * that grows while being read is refused rather than followed.
     */
    public static byte[] readBytes(Path file, long maxBytes) {
        requireRegular(file, maxBytes);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > maxBytes) {
                throw new FormatException(file, "is " + size + " bytes, more than the limit of " + maxBytes
                        + " bytes for this kind of file");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size + 1);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // a regular file ends; the extra byte shows whether it grew after the size was taken
            }
            if (buffer.position() > size) {
                throw new FormatException(file, "changed while it was being read; try again");
            }
            byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            return bytes;
        } catch (NoSuchFileException e) {
            throw new FormatException(file, "is missing");
        } catch (IOException e) {
            throw new FormatException(file, "cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** The text of {@code file} as UTF-8 (malformed bytes are refused), checked as {@link #readBytes} does. */
    public static String readText(Path file, long maxBytes) {
        byte[] bytes = readBytes(file, maxBytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(file, "is not valid UTF-8 text");
        }
    }

    /** A stream over {@code file} after the checks of {@link #requireRegular}. */
    public static InputStream open(Path file, long maxBytes) throws IOException {
        requireRegular(file, maxBytes);
        return Files.newInputStream(file);
    }
}
