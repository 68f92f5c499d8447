package fr.gouv.data.catalogue.ops.report;

/** The output of a tool run in a live release, line by line as it arrives, secrets already masked. */
@FunctionalInterface
public interface ToolOutput {
    /** Output that goes nowhere. */
    ToolOutput NONE = (host, stderr, line) -> { };

    /**
     * A line of output.
     *
     * @param host the inventory name of the host the tool runs on
     * @param stderr whether the line came on standard error
     * @param line the line, without its end, every secret value masked
     */
    void line(String host, boolean stderr, String line);
}
