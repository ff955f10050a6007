package votacao.server.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/** When the timer renews the baton or lets stranded votes go alone: the books decide, without a broker. */
class ChannelAcksTest {

    private static final long MILLI = 1_000_000;
    private static final long T0 = 5_000 * MILLI;

    @Test
    void votesWaitingBehindTheBatonRenewItAfterAWhile() {
        ChannelAcks books = new ChannelAcks("consumer");
        Message<String> baton = Message.of("baton");
        books.holdBaton(1, baton);
        books.toAck(2, Message.of("vote 2"));
        books.toAck(3, Message.of("vote 3"));
        assertNull(books.takeRun(1), "the baton, unacknowledged, holds the run back");

        assertEquals(new ChannelAcks.Tick(false, false), books.tick(T0), "just held back");
        assertEquals(new ChannelAcks.Tick(false, false), books.tick(T0 + ChannelAcks.BATON_MILLIS * MILLI));
        assertEquals(new ChannelAcks.Tick(true, false), books.tick(T0 + (ChannelAcks.BATON_MILLIS + 1) * MILLI));
        books.renewing = true;
        assertEquals(new ChannelAcks.Tick(false, false), books.tick(T0 + 100 * MILLI), "one renewal at a time");

        books.releaseBaton(); // the new one is confirmed: the old one goes with the run
        assertEquals(new AckWindow.Run(3, 3, 3), books.takeRun(1));
    }

    @Test
    void manyVotesBehindTheBatonRenewItAtOnce() {
        ChannelAcks books = new ChannelAcks("consumer");
        books.holdBaton(1, Message.of("baton"));
        for (long tag = 2; tag < 2 + ChannelAcks.RENEW_AFTER; tag++) {
            books.toAck(tag, Message.of("vote"));
        }
        assertEquals(new ChannelAcks.Tick(true, false), books.tick(T0));
    }

    @Test
    void aVoteStillBeingDecidedIsNoReasonToRenewTheBatonButAStuckOneLetsTheOthersGoAlone() {
        ChannelAcks books = new ChannelAcks("consumer");
        Message<String> third = Message.of("vote 3");
        books.toAck(3, third); // tag 2 is still being decided; tag 1 is not a baton
        books.toAck(1, Message.of("vote 1"));
        assertEquals(new AckWindow.Run(1, 1, 1), books.takeRun(1));

        assertEquals(new ChannelAcks.Tick(false, false), books.tick(T0));
        assertEquals(new ChannelAcks.Tick(false, false), books.tick(T0 + ChannelAcks.STUCK_MILLIS * MILLI));
        assertEquals(new ChannelAcks.Tick(false, true), books.tick(T0 + (ChannelAcks.STUCK_MILLIS + 1) * MILLI));
        assertEquals(List.of(third), books.takeStranded());
    }
}
