package fr.gouv.data.catalogue.ops.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The build log's mask: whole lines only, every form of a secret, longest first, short values left alone. */
class MaskingStreamTest {
    @Test
    void masksWholeLinesAndEveryForm() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        MaskingStream mask = new MaskingStream(sink);
        PrintStream out = mask.printStream();
        mask.addWithForms("p@ss word/1");
        mask.add("abc");
        mask.add("-----BEGIN KEY-----\nAAAAB3NzaC1yc2EAAAADAQAB\n-----END KEY-----\n");
        out.print("url postgresql://u:p%40ss%20word%2F1@h/db and p@ss ");
        out.flush();
        assertEquals("", sink.toString(StandardCharsets.UTF_8), "nothing leaves before the line ends");
        out.println("word/1 abc");
        out.println("key AAAAB3NzaC1yc2EAAAADAQAB end");
        out.print("last p@ss word/1");
        mask.close();
        assertEquals("url postgresql://u:****@h/db and **** abc\nkey **** end\nlast ****", sink.toString(StandardCharsets.UTF_8));
    }
}
