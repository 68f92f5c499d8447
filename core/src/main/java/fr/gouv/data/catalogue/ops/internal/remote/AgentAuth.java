package fr.gouv.data.catalogue.ops.internal.remote;

import java.io.IOException;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * sshj's "publickey" authentication (RFC 4252, 7) with a key held by an SSH agent: the server is
 * offered the public key; when it accepts it, the agent signs the session's request.
 */
final class AgentAuth extends AbstractAuthMethod {
    private final SshAgent agent;
    private final SshAgent.Identity identity;

    AgentAuth(SshAgent agent, SshAgent.Identity identity) {
        super("publickey");
        this.agent = agent;
        this.identity = identity;
    }

    /** The signature algorithm for a key type: SHA-2 for RSA, as current OpenSSH servers require. */
    static String algorithm(String keyType) {
        return keyType.equals("ssh-rsa") ? "rsa-sha2-512" : keyType;
    }

    static int signFlags(String keyType) {
        return keyType.equals("ssh-rsa") ? SshAgent.RSA_SHA2_512 : 0;
    }

    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        return request(false);
    }

    private SSHPacket request(boolean signed) throws UserAuthException {
        SSHPacket req = super.buildReq();
        req.putBoolean(signed).putString(algorithm(identity.type())).putString(identity.blob());
        return req;
    }

    @Override
    public void handle(Message cmd, SSHPacket buf) throws UserAuthException, TransportException {
        if (cmd != Message.USERAUTH_60) {
            super.handle(cmd, buf);
            return;
        }
        SSHPacket req = request(true);
        byte[] toSign = new Buffer.PlainBuffer().putString(params.getTransport().getSessionID()).putBuffer(req)
                .getCompactData();
        try {
            req.putString(agent.sign(identity.blob(), toSign, signFlags(identity.type())));
        } catch (IOException e) {
            throw new UserAuthException("the SSH agent did not sign with " + identity.comment() + ": " + e.getMessage(), e);
        }
        params.getTransport().write(req);
    }

    @Override
    public String toString() {
        return "agent key " + identity.type() + " " + identity.comment();
    }
}
