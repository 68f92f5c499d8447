package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** A file rendered from a Jinja template with the host's variables (Ansible's template module). */
public record TemplateFile(String name, String templateName, String template, String path, String mode, String owner,
                           Set<String> tags, List<String> notifies) implements Task {
    public TemplateFile {
        tags = Set.copyOf(tags);
        notifies = List.copyOf(notifies);
    }

    public String render(HostContext host) throws OpsException {
        return String.valueOf(host.variables().render(template, "template " + templateName));
    }

    /** Writes the rendered file as this task would, whatever is there now (for a task that removed it on purpose). */
    public void write(HostContext host, byte[] rendered) throws OpsException {
        host.remote().upload(rendered, path, mode, owner, host.becomeUser());
    }

    @Override
    public List<fr.gouv.data.catalogue.ops.internal.remote.Command> probes(HostContext host) {
        return List.of(FileContent.probeCommand(path));
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        byte[] content = render(host).getBytes(StandardCharsets.UTF_8);
        return new FileContent(name, path, content, mode, owner, false, tags, notifies).plan(host);
    }
}
