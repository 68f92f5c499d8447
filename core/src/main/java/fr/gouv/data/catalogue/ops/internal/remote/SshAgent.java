package fr.gouv.data.catalogue.ops.internal.remote;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of the SSH agent protocol (draft-miller-ssh-agent) over the agent's UNIX socket: lists
 * the identities and asks the agent to sign. The private keys never leave the agent.
 */
public final class SshAgent implements Closeable {
    static final byte FAILURE = 5;
    static final byte REQUEST_IDENTITIES = 11;
    static final byte IDENTITIES_ANSWER = 12;
    static final byte SIGN_REQUEST = 13;
    static final byte SIGN_RESPONSE = 14;
    /** Sign flags asking for rsa-sha2-256 / rsa-sha2-512 signatures with an RSA key (RFC 8332). */
    static final int RSA_SHA2_256 = 2;
    static final int RSA_SHA2_512 = 4;
    private static final int MAX_MESSAGE = 256 * 1024;

    /** One key the agent holds: its public key blob (SSH wire format), type and comment. */
    public record Identity(byte[] blob, String type, String comment) {
    }

    private final Path socket;
    private final SocketChannel channel;

    private SshAgent(Path socket, SocketChannel channel) {
        this.socket = socket;
        this.channel = channel;
    }

    public static SshAgent open(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot reach the SSH agent at " + socket + ": " + e.getMessage(), e);
        }
        return new SshAgent(socket, channel);
    }

    public synchronized List<Identity> identities() throws IOException {
        WireReader answer = request(new byte[] {REQUEST_IDENTITIES}, IDENTITIES_ANSWER);
        int count = answer.uint32();
        List<Identity> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] blob = answer.string();
            String comment = new String(answer.string(), StandardCharsets.UTF_8);
            String type = new String(new WireReader(blob).string(), StandardCharsets.US_ASCII);
            ids.add(new Identity(blob, type, comment));
        }
        return ids;
    }

    /** The signature blob (algorithm name and signature, SSH wire format) of {@code data}. */
    public synchronized byte[] sign(byte[] keyBlob, byte[] data, int flags) throws IOException {
        WireWriter req = new WireWriter().put(SIGN_REQUEST).string(keyBlob).string(data).uint32(flags);
        return request(req.bytes(), SIGN_RESPONSE).string();
    }

    private WireReader request(byte[] message, byte expected) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(4 + message.length).putInt(message.length).put(message).flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        ByteBuffer header = readFully(4);
        int length = header.getInt();
        if (length < 1 || length > MAX_MESSAGE) {
            throw new IOException("the SSH agent at " + socket + " sent a malformed answer (" + length + " bytes)");
        }
        ByteBuffer body = readFully(length);
        byte type = body.get();
        if (type != expected) {
            throw new IOException("the SSH agent at " + socket + " refused the request"
                    + (type == FAILURE ? "" : " (answer type " + type + ")"));
        }
        byte[] rest = new byte[body.remaining()];
        body.get(rest);
        return new WireReader(rest);
    }

    private ByteBuffer readFully(int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (channel.read(buf) < 0) {
                throw new IOException("the SSH agent at " + socket + " closed the connection");
            }
        }
        return buf.flip();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** SSH wire format, reading: uint32 and length-prefixed strings. */
    static final class WireReader {
        private final ByteBuffer buf;

        WireReader(byte[] bytes) {
            this.buf = ByteBuffer.wrap(bytes);
        }

        int uint32() throws IOException {
            if (buf.remaining() < 4) {
                throw new IOException("truncated SSH agent message");
            }
            return buf.getInt();
        }

        byte[] string() throws IOException {
            int n = uint32();
            if (n < 0 || n > buf.remaining()) {
                throw new IOException("truncated SSH agent message");
            }
            byte[] s = new byte[n];
            buf.get(s);
            return s;
        }
    }

    /** SSH wire format, writing. */
    static final class WireWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        WireWriter put(byte b) {
            out.write(b);
            return this;
        }

        WireWriter uint32(int v) {
            out.write(v >>> 24);
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        WireWriter string(byte[] s) {
            uint32(s.length);
            out.writeBytes(s);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
