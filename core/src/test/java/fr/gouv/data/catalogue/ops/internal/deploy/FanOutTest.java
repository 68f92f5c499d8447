package fr.gouv.data.catalogue.ops.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.OpsException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FanOutTest {
    @Test
    void outcomesComeInTheItemsOrderWithEachFailureInItsPlace() throws Exception {
        List<Integer> items = IntStream.range(0, 25).boxed().toList();
        List<FanOut.Outcome<String>> out = FanOut.each(items, i -> {
            if (i % 7 == 3) {
                throw new OpsException("host " + i + " cannot be reached");
            }
            return "h" + i;
        }, v -> { });
        assertEquals(25, out.size());
        for (int i = 0; i < 25; i++) {
            if (i % 7 == 3) {
                assertNull(out.get(i).value());
                int n = i;
                OpsException e = assertThrows(OpsException.class, () -> out.get(n).get());
                assertEquals("host " + i + " cannot be reached", e.getMessage());
            } else {
                assertEquals("h" + i, out.get(i).get());
            }
        }
    }

    @Test
    void neverMoreThanTheLimitAtOnceAndAllOfThemOverlap() throws Exception {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch full = new CountDownLatch(FanOut.LIMIT);
        FanOut.each(IntStream.range(0, 30).boxed().toList(), i -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            full.countDown();
            try {
                // the first LIMIT calls wait for each other: they run at the same time, or this times out
                assertTrue(full.await(10, TimeUnit.SECONDS), "the first calls did not overlap");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            now.decrementAndGet();
            return i;
        }, v -> { });
        assertEquals(FanOut.LIMIT, most.get());
    }

    @Test
    void anInterruptWaitsForTheCallsRunningAndHandsBackWhatTheyMade() throws Exception {
        List<String> abandoned = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch started = new CountDownLatch(2);
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                started.await();
            } catch (InterruptedException ignored) {
                return;
            }
            caller.interrupt();
        });
        interrupter.start();
        InterruptedException e = assertThrows(InterruptedException.class, () -> FanOut.each(List.of("a", "b"), item -> {
            started.countDown();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < end) {
                Thread.onSpinWait();   // a handshake under way: it ends before the interrupt is seen
            }
            return "connection " + item;
        }, abandoned::add));
        interrupter.join();
        assertSame(InterruptedException.class, e.getClass());
        Collections.sort(abandoned);
        assertEquals(List.of("connection a", "connection b"), abandoned);
    }

    @Test
    void noItemsNoThreads() throws Exception {
        assertEquals(List.of(), FanOut.each(List.<String>of(), s -> s, v -> { }));
    }
}
