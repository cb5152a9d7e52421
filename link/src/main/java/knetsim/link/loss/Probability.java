package knetsim.link.loss;

import java.math.BigDecimal;
import java.math.MathContext;

/** Shared validation and netem-style printing of probabilities, so every model words its errors the same way. */
final class Probability {

    private Probability() {
    }

    /** Returns {@code value} if it lies in [0, 1]; NaN is refused too, as it compares false with every draw. */
    static double require(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], got " + value);
        }
        return value;
    }

    /** {@code 0.01 -> "1%"}; six significant digits hide binary noise such as 0.07 * 100 = 7.000000000000001. */
    static String percent(double probability) {
        BigDecimal pct = new BigDecimal(probability * 100.0).round(new MathContext(6)).stripTrailingZeros();
        return pct.toPlainString() + "%";
    }
}
