package fr.gouv.data.catalogue.ops.internal.remote;

/** Receives a command's output line by line as it arrives. */
public interface OutputListener {
    OutputListener NONE = (host, stderr, line) -> { };

    void line(String host, boolean stderr, String line);
}
