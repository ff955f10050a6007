package votacao.server.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BackOffTest {

    @Test
    void doublesFromTheFirstPauseUpToTheLast() {
        BackOff backOff = new BackOff(100, 2000);
        assertEquals(100, backOff.pauseMillis(0));
        assertEquals(200, backOff.pauseMillis(1));
        assertEquals(1600, backOff.pauseMillis(4));
        assertEquals(2000, backOff.pauseMillis(5));
    }

    @Test
    void staysAtTheLastPauseHoweverManyAttempts() {
        BackOff backOff = new BackOff(100, 5000);
        assertEquals(5000, backOff.pauseMillis(63));
        assertEquals(5000, backOff.pauseMillis(Integer.MAX_VALUE));
    }
}
