package votacao.server.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;

import votacao.server.poll.LedgerEntry;
import votacao.shared.Codec;

class BatchTypeTest {

    private static final LedgerEntry VOTE = LedgerEntry.vote("p", "ana", "A", "m1", "2026-12-03T00:00:00Z");
    private static final LedgerEntry ACTIVATION = LedgerEntry.activation("mark");

    @Test
    void aBatchIsTypedByWhetherItHoldsAnActivation() {
        assertEquals(BatchType.ENTRIES, BatchType.of(List.of(VOTE, VOTE)).getType());
        assertEquals(BatchType.ACTIVATION, BatchType.of(List.of(VOTE, ACTIVATION, VOTE)).getType());
    }

    @Test
    void aTypedBatchIsJudgedByItsType() {
        List<LedgerEntry> votes = List.of(VOTE);
        assertFalse(BatchType.mayHoldActivation(BatchType.of(votes), Codec.encode(votes)));
        List<LedgerEntry> activation = List.of(ACTIVATION);
        assertTrue(BatchType.mayHoldActivation(BatchType.of(activation), Codec.encode(activation)));
    }

    @Test
    void anUntypedBatchOfAnEarlierVersionIsSearched() {
        AMQP.BasicProperties untyped = new AMQP.BasicProperties.Builder().build();
        assertTrue(BatchType.mayHoldActivation(untyped, Codec.encode(List.of(VOTE, ACTIVATION))));
        assertFalse(BatchType.mayHoldActivation(untyped, Codec.encode(List.of(VOTE))));
        assertTrue(BatchType.mayHoldActivation(null, Codec.encode(List.of(ACTIVATION))));
    }
}
