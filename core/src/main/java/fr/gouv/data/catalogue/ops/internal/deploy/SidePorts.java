package fr.gouv.data.catalogue.ops.internal.deploy;

/**
 * The four ports of a host: {@code api_port}/{@code client_port} for blue (the ports the original
 * playbook uses), {@code api_alt_port}/{@code client_alt_port} for green.
 */
public record SidePorts(Side.Ports blue, Side.Ports green) {
    public static final int DEFAULT_API_ALT_PORT = 3580;
    public static final int DEFAULT_CLIENT_ALT_PORT = 3001;

    public Side.Ports of(Side side) {
        return side == Side.BLUE ? blue : green;
    }

    /** The side whose ports these are, or null when neither side has exactly them. */
    public Side sideOf(Side.Ports ports) {
        if (blue.equals(ports)) {
            return Side.BLUE;
        }
        return green.equals(ports) ? Side.GREEN : null;
    }
}
