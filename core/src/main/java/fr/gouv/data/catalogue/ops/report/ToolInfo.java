package fr.gouv.data.catalogue.ops.report;

import java.util.List;

/**
 * A tool {@code catalogue-ops run} knows for an environment.
 *
 * @param name its name, e.g. {@code dedupe-tags}
 * @param argv what it runs in the live release's folder
 * @param builtIn whether catalogue-ops ships it (else the variable {@code tools} declares it)
 */
public record ToolInfo(String name, List<String> argv, boolean builtIn) {
    /**
     * The record, its argument list copied.
     *
     * @param name its name
     * @param argv what it runs
     * @param builtIn whether it is built in
     */
    public ToolInfo {
        argv = List.copyOf(argv);
    }
}
