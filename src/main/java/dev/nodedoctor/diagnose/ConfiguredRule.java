package dev.nodedoctor.diagnose;

/**
 * What every rule with thresholds shares: its finding id and the threshold values in force. Rules extend this
 * and keep only their logic and words.
 */
abstract class ConfiguredRule implements Rule {
    private final String id;
    private final Thresholds thresholds;

    ConfiguredRule(String id, Thresholds thresholds) {
        this.id = id;
        this.thresholds = thresholds;
    }

    @Override
    public final String id() {
        return id;
    }

    /** The value of a threshold: the default, or the config file's override. */
    final double value(Threshold t) {
        return thresholds.get(t);
    }
}
