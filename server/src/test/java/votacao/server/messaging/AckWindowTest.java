package votacao.server.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class AckWindowTest {

    @Test
    void anAcknowledgementWaitsForEveryTagBelowIt() {
        AckWindow window = new AckWindow();
        window.toAck(2);
        window.toAck(3);
        assertEquals(new AckWindow.Run(0, 0, 0), window.run(), "tag 1 is still being decided");
        window.toAck(1);
        assertEquals(new AckWindow.Run(3, 3, 3), window.run());
        window.cover(window.run());
        assertEquals(0, window.waiting());
        assertEquals(4, window.gap());
    }

    @Test
    void neverNamesATagTheBrokerSettledAlready() {
        AckWindow window = new AckWindow();
        window.toAck(1);
        window.toAck(2);
        window.settledAlready(3); // handed back to the queue: acknowledging it would close the channel
        AckWindow.Run run = window.run();
        assertEquals(new AckWindow.Run(3, 2, 2), run);
        window.cover(run);
        window.settledAlready(4);
        assertEquals(new AckWindow.Run(4, 0, 0), window.run(), "nothing to acknowledge: the run only moves on");
    }

    @Test
    void theBatonHoldsTheRunBackUntilItIsLetGo() {
        AckWindow window = new AckWindow();
        for (long tag = 2; tag <= 5; tag++) {
            window.toAck(tag);
        }
        assertEquals(1, window.gap());
        assertEquals(List.of(2L, 3L, 4L, 5L), window.stranded());
        window.toAck(1); // the old baton, once a new one is in the queue
        assertEquals(new AckWindow.Run(5, 5, 5), window.run());
    }

    @Test
    void aTagAcknowledgedAloneIsAGapUntilThatLands() {
        AckWindow window = new AckWindow();
        window.toAck(2);
        window.toAck(3);
        window.reopen(3); // sent alone
        window.toAck(1);
        assertEquals(new AckWindow.Run(2, 2, 2), window.run(), "no acknowledgement may pass 3 while it is in transit");
        window.settledAlready(3);
        assertEquals(new AckWindow.Run(3, 2, 2), window.run());
        assertEquals(2, window.waiting());
    }

    @Test
    void aTagCoveredAlreadyIsNotTakenAgain() {
        AckWindow window = new AckWindow();
        window.toAck(1);
        window.cover(window.run());
        window.toAck(1);
        window.settledAlready(1);
        assertEquals(0, window.waiting());
        assertEquals(new AckWindow.Run(1, 0, 0), window.run());
    }
}
