package knetsim.node.script;

/** A step that does not follow the grammar or names something unknown; {@code column} is 1-based (0: the whole step). */
public final class ScriptSyntaxException extends RuntimeException {
    private final int column;

    public ScriptSyntaxException(int column, String message) {
        super(message);
        this.column = column;
    }

    public int column() {
        return column;
    }
}
