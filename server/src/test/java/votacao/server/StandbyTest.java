package votacao.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import votacao.server.poll.LedgerEntry;
import votacao.server.poll.PollHistory;

/** How a server watches for a newer activation: in the ledger, then on the activations stream. */
class StandbyTest {

    private final List<String> fencedBy = new ArrayList<>();
    private final Standby standby = new Standby(fencedBy::add);

    /** The ledger read to the start mark, with an earlier server's activation; this server takes over. */
    private String takeOver() throws Exception {
        standby.read(LedgerEntry.activation("older"));
        standby.read(LedgerEntry.start(standby.startMark()));
        assertTrue(standby.awaitCaughtUp(1, TimeUnit.SECONDS));
        String own = standby.newActivation();
        standby.read(LedgerEntry.activation(own));
        PollHistory history = standby.awaitActivation(1, TimeUnit.SECONDS);
        assertEquals(own, history.activation());
        return own;
    }

    @Test
    void aNewerActivationInTheLedgerFencesUntilTheWatchMovesToTheStream() throws Exception {
        String own = takeOver();
        standby.read(LedgerEntry.activation("older")); // a copy written again after a broker restart
        assertEquals(List.of(), fencedBy);
        standby.read(LedgerEntry.activation("newer"));
        assertEquals(List.of("newer"), fencedBy);
        assertFalse(standby.watchedUpToAnnouncement().isDone());
        standby.read(LedgerEntry.announced(own));
        assertTrue(standby.watchedUpToAnnouncement().isDone());
    }

    @Test
    void onTheActivationsStreamOnlyWhatFollowsTheOwnAnnouncementCounts() throws Exception {
        String own = takeOver();
        // Before this server's own announcement: older ones, or newer ones the ledger shows (watched there).
        standby.watch(LedgerEntry.activation("before-own"));
        standby.watch(LedgerEntry.activation(own));
        assertEquals(List.of(), fencedBy);
        // After it: an older server's late announcement, and this server's own made again, are not newer.
        standby.watch(LedgerEntry.activation("older"));
        standby.watch(LedgerEntry.activation(own));
        assertEquals(List.of(), fencedBy);
        standby.watch(LedgerEntry.activation("newer"));
        assertEquals(List.of("newer"), fencedBy);
        standby.watch(LedgerEntry.activation("newer"));
        assertEquals(List.of("newer"), fencedBy, "told once");
    }

    @Test
    void aTakeOverTriedAgainWatchesFromItsNewAnnouncement() throws Exception {
        String first = takeOver();
        standby.watch(LedgerEntry.activation(first));
        String second = standby.newActivation(); // the first attempt failed after its announcement
        standby.read(LedgerEntry.activation(second));
        standby.watch(LedgerEntry.activation("between")); // before the second announcement: the ledger's to watch
        assertEquals(List.of(), fencedBy);
        standby.watch(LedgerEntry.activation(second));
        standby.watch(LedgerEntry.activation("newer"));
        assertEquals(List.of("newer"), fencedBy);
    }
}
