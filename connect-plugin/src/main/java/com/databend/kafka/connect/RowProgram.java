package com.databend.kafka.connect;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A row program (src/connect/row-programs.ts): the columns of the table shape the script plans
 * records of one schema pair with, and how to write each non-null value. The task writes such a
 * record's row itself, as the field texts the script's encoders give, so that no per-record step runs
 * in the interpreter but the hand-off's split. Every value whose text could differ from the script's,
 * or that the script would refuse, makes {@link #encode} answer false: the record then goes to the
 * script as Connect JSON and the script decides, as for any record without a program.
 */
final class RowProgram {
    static final char FIELD_SEPARATOR = '\u001f';
    static final char NULL_FIELD = '\u001e';
    /** A newline inside a text: the hand-off's lines end in newlines (record-handoff.ts turns it back). */
    static final char NEWLINE = '\u001d';

    private enum Source { TOPIC, PARTITION, OFFSET, KEY, VALUE }

    private enum Kind { INT, BOOL, STRING, FLOAT, TIMESTAMP, DATE, TIME, DECIMAL }

    /** Databend's TIMESTAMP range, as the script's timestampText checks it (in ms). */
    private static final long MIN_TIMESTAMP_MS = -62_135_596_800_000L;
    private static final long MAX_TIMESTAMP_MS = 253_402_207_200_999L;
    private static final long MS_PER_DAY = 86_400_000L;
    /** Databend's DATE range, as the script's dateText checks it (days since 1970-01-01). */
    private static final long MIN_DATE_DAYS = -719_528L;
    private static final long MAX_DATE_DAYS = 2_932_896L;

    final int id;
    private final Source[] sources;
    private final Field[] fields;
    private final Kind[] kinds;
    private final boolean[] nullable;
    /** Decimal columns: the scale of every value, and the most digits (0: no limit). */
    private final int[] scales;
    private final int[] maxDigits;
    private long lastDay = Long.MIN_VALUE;
    private String lastDayText;

    private RowProgram(int id, int n) {
        this.id = id;
        sources = new Source[n];
        fields = new Field[n];
        kinds = new Kind[n];
        nullable = new boolean[n];
        scales = new int[n];
        maxDigits = new int[n];
    }

    /** The program the script defined (its JSON), with the fields resolved in these schemas; null if one is missing. */
    static RowProgram of(JsonNode spec, Schema keySchema, Schema valueSchema) {
        JsonNode columns = spec.get("columns");
        RowProgram p = new RowProgram(spec.get("id").asInt(), columns.size());
        for (int i = 0; i < columns.size(); i++) {
            JsonNode c = columns.get(i);
            p.sources[i] = Source.valueOf(c.get("from").asText().toUpperCase());
            p.kinds[i] = Kind.valueOf(c.get("kind").asText().toUpperCase());
            p.nullable[i] = c.get("nullable").asBoolean();
            p.scales[i] = c.path("scale").asInt(0);
            p.maxDigits[i] = c.path("maxDigits").asInt(0);
            JsonNode field = c.get("field");
            if (field.isNull()) continue;
            Schema container = p.sources[i] == Source.KEY ? keySchema : valueSchema;
            if (container == null || container.type() != Schema.Type.STRUCT) return null;
            p.fields[i] = container.field(field.asText());
            if (p.fields[i] == null) return null;
        }
        return p;
    }

    /**
     * Appends the record's row (fields separated by U+001F, null as U+001E); false when a value must
     * go through the script instead (what was appended is then to be dropped by the caller).
     */
    boolean encode(SinkRecord r, StringBuilder out) {
        if (!(r.value() instanceof Struct)) return false;
        Struct value = (Struct) r.value();
        Object key = r.key();
        for (int i = 0; i < sources.length; i++) {
            Object x;
            switch (sources[i]) {
                case TOPIC:
                    x = r.topic();
                    break;
                case PARTITION:
                    x = r.kafkaPartition();
                    break;
                case OFFSET:
                    x = r.kafkaOffset();
                    break;
                case KEY:
                    if (fields[i] == null) x = key;
                    else if (key instanceof Struct) x = ((Struct) key).get(fields[i]);
                    else return false;
                    break;
                default:
                    x = value.get(fields[i]);
            }
            if (i > 0) out.append(FIELD_SEPARATOR);
            if (x == null) {
                if (!nullable[i]) return false;
                out.append(NULL_FIELD);
            } else if (!append(i, x, out)) {
                return false;
            }
        }
        return true;
    }

    private boolean append(int column, Object x, StringBuilder out) {
        switch (kinds[column]) {
            case INT:
                if (!(x instanceof Long || x instanceof Integer || x instanceof Short || x instanceof Byte)) return false;
                out.append(((Number) x).longValue());
                return true;
            case BOOL:
                if (!(x instanceof Boolean)) return false;
                out.append(((Boolean) x) ? "true" : "false");
                return true;
            case STRING:
                return x instanceof String && appendString((String) x, out);
            case FLOAT:
                return appendFloat(x, out);
            case DATE:
                return x instanceof java.util.Date && appendDate(((java.util.Date) x).getTime(), out);
            case TIME:
                return x instanceof java.util.Date && appendTime(((java.util.Date) x).getTime(), out);
            case DECIMAL:
                return x instanceof BigDecimal && appendDecimal((BigDecimal) x, scales[column], maxDigits[column], out);
            default:
                return x instanceof java.util.Date && appendTimestamp(((java.util.Date) x).getTime(), out);
        }
    }

    /**
     * The script's decimalText for a value of the column's scale: plain digits, a point before the
     * last {@code scale}; a value of another scale (Connect's converter refuses it), a negative
     * scale or more digits than the column holds go to the script.
     */
    private static boolean appendDecimal(BigDecimal d, int scale, int maxDigits, StringBuilder out) {
        if (d.scale() != scale || scale < 0) return false;
        BigInteger unscaled = d.unscaledValue();
        if (maxDigits > 0 && unscaled.signum() != 0 && unscaled.abs().toString().length() > maxDigits) return false;
        out.append(d.toPlainString());
        return true;
    }

    /** {@code YYYY-MM-DD} of a Connect Date (midnight UTC), as the script's dateText. */
    private boolean appendDate(long ms, StringBuilder out) {
        if (Math.floorMod(ms, MS_PER_DAY) != 0) return false;
        long day = Math.floorDiv(ms, MS_PER_DAY);
        if (day < MIN_DATE_DAYS || day > MAX_DATE_DAYS) return false;
        out.append(dayText(day));
        return true;
    }

    /** {@code HH:MM:SS.ffffff} of a Connect Time (milliseconds of the day), as the script's timeText. */
    private static boolean appendTime(long ms, StringBuilder out) {
        if (ms < 0 || ms >= MS_PER_DAY) return false;
        appendClock(ms, out);
        return true;
    }

    /**
     * The text, its newlines as U+001D; false for a text holding a separator of the hand-off (U+001D,
     * U+001E, U+001F) and for a lone surrogate (the script refuses it).
     */
    private static boolean appendString(String s, StringBuilder out) {
        int n = s.length();
        int newlines = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\n') newlines++;
            else if (c == NEWLINE || c == FIELD_SEPARATOR || c == NULL_FIELD) return false;
            else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
                i++;
            }
        }
        out.append(newlines == 0 ? s : s.replace('\n', NEWLINE));
        return true;
    }

    /**
     * The script writes a float as JavaScript's text (Number.prototype.toString) of the double its
     * JSON held, the text Jackson wrote: Double.toString, or Float.toString read as a double. For a
     * finite value in 0.001 ≤ |x| < 10^7 (and zero) the JDK's text is a plain decimal, written as is
     * without its ".0" on integral values (on Java 17 a double's text may carry more digits than the
     * shortest, the JDK's pre-19 algorithm: the same double, which Databend stores). Outside that
     * range the JDK writes an exponent, and the text is JavaScript's, made from the shortest digits
     * ({@link #jsNumberText}).
     */
    private static boolean appendFloat(Object x, StringBuilder out) {
        String text;
        if (x instanceof Double) {
            double d = (Double) x;
            if (!Double.isFinite(d)) return false;
            text = Double.toString(d);
        } else if (x instanceof Float) {
            float f = (Float) x;
            if (!Float.isFinite(f)) return false;
            text = Float.toString(f);
        } else {
            return false;
        }
        if (text.indexOf('E') >= 0) out.append(jsNumberText(Double.parseDouble(text)));
        else if (text.endsWith(".0")) out.append(text, 0, text.length() - 2);
        else out.append(text);
        return true;
    }

    /**
     * JavaScript's Number::toString of a finite, non-zero double: its shortest digits that read back
     * as the same double (of two such, the one closer to it, then the even one), laid out plain for
     * 10^-6 ≤ |x| < 10^21 and with an exponent ({@code 1.5e+21}, {@code 1e-7}) otherwise.
     */
    static String jsNumberText(double v) {
        double abs = Math.abs(v);
        BigDecimal exact = new BigDecimal(abs);
        // The fewest digits p with a p-digit decimal that reads back as the double: whether there is
        // one grows with p (a shorter one padded with zeros is one), so it is found by bisection;
        // 17 always do. Of the p-digit decimals, the ones next to it below and above are the candidates.
        int low = 1;
        int high = 17;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (readsBack(exact.round(new MathContext(mid, RoundingMode.FLOOR)), abs) || readsBack(exact.round(new MathContext(mid, RoundingMode.CEILING)), abs)) high = mid;
            else low = mid + 1;
        }
        BigDecimal down = exact.round(new MathContext(low, RoundingMode.FLOOR));
        BigDecimal up = exact.round(new MathContext(low, RoundingMode.CEILING));
        boolean downReads = readsBack(down, abs);
        boolean upReads = readsBack(up, abs);
        BigDecimal digits;
        if (downReads && upReads && down.compareTo(up) != 0) {
            int closer = exact.subtract(down).compareTo(up.subtract(exact));
            digits = closer < 0 ? down : closer > 0 ? up : down.unscaledValue().testBit(0) ? up : down;
        } else {
            digits = downReads ? down : up;
        }
        digits = digits.stripTrailingZeros();
        String s = digits.unscaledValue().toString();
        int k = s.length();
        // v = 0.s × 10^n, as ECMAScript's Number::toString names them.
        int n = k - digits.scale();
        StringBuilder out = new StringBuilder(k + 8);
        if (v < 0) out.append('-');
        if (k <= n && n <= 21) {
            out.append(s);
            for (int i = k; i < n; i++) out.append('0');
        } else if (0 < n && n <= 21) {
            out.append(s, 0, n).append('.').append(s, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.");
            for (int i = n; i < 0; i++) out.append('0');
            out.append(s);
        } else {
            out.append(s.charAt(0));
            if (k > 1) out.append('.').append(s, 1, k);
            out.append('e').append(n - 1 < 0 ? '-' : '+').append(Math.abs(n - 1));
        }
        return out.toString();
    }

    private static boolean readsBack(BigDecimal decimal, double v) {
        return Double.parseDouble(decimal.toString()) == v;
    }

    /** {@code YYYY-MM-DD HH:MM:SS.ffffff+00:00}: UTC, with its offset, as the script's CSV encoder writes a timestamp. */
    private boolean appendTimestamp(long ms, StringBuilder out) {
        if (ms < MIN_TIMESTAMP_MS || ms > MAX_TIMESTAMP_MS) return false;
        long day = Math.floorDiv(ms, MS_PER_DAY);
        out.append(dayText(day)).append(' ');
        appendClock(ms - day * MS_PER_DAY, out);
        out.append("+00:00");
        return true;
    }

    /** {@code YYYY-MM-DD}; consecutive records mostly share the day. */
    private String dayText(long day) {
        if (day != lastDay) {
            LocalDate date = LocalDate.ofEpochDay(day);
            StringBuilder d = new StringBuilder(10);
            pad(d, date.getYear(), 4).append('-');
            pad(d, date.getMonthValue(), 2).append('-');
            pad(d, date.getDayOfMonth(), 2);
            lastDayText = d.toString();
            lastDay = day;
        }
        return lastDayText;
    }

    /** {@code HH:MM:SS.ffffff} of milliseconds into a day. */
    private static void appendClock(long msOfDay, StringBuilder out) {
        long seconds = msOfDay / 1000;
        pad(out, seconds / 3600, 2).append(':');
        pad(out, seconds / 60 % 60, 2).append(':');
        pad(out, seconds % 60, 2).append('.');
        pad(out, (msOfDay % 1000) * 1000, 6);
    }

    private static StringBuilder pad(StringBuilder out, long n, int width) {
        String s = Long.toString(n);
        for (int i = s.length(); i < width; i++) out.append('0');
        return out.append(s);
    }

    /**
     * The programs of one task, by schema identity (converters hand out one Schema object per schema
     * version): asked of the script once per schema pair, none for pairs it leaves to the general path.
     */
    static final class Programs {
        /** At most this many schema pairs; then both sides start over. */
        private static final int MAX = 256;
        private static final RowProgram NONE = new RowProgram(-1, 0);

        private final Map<Schema, Map<Schema, RowProgram>> byKey = new IdentityHashMap<>();
        private final Definer definer;
        private int size;
        private Schema lastKey;
        private Schema lastValue;
        private RowProgram last;

        /** Asks the script for a program; JSON, or "null". */
        interface Definer {
            String define(Schema keySchema, Schema valueSchema);

            void reset();
        }

        Programs(Definer definer) {
            this.definer = definer;
        }

        /** The program for a record's schemas, or null when its records go through the script. */
        RowProgram of(SinkRecord r, com.fasterxml.jackson.databind.ObjectMapper json) throws java.io.IOException {
            Schema k = r.keySchema();
            Schema v = r.valueSchema();
            if (v == null || r.value() == null) return null;
            if (last != null && k == lastKey && v == lastValue) return last == NONE ? null : last;
            Map<Schema, RowProgram> byValue = byKey.computeIfAbsent(k, x -> new IdentityHashMap<>());
            RowProgram p = byValue.get(v);
            if (p == null) {
                if (size >= MAX) {
                    byKey.clear();
                    size = 0;
                    last = null;
                    definer.reset();
                    byValue = byKey.computeIfAbsent(k, x -> new IdentityHashMap<>());
                }
                String spec = definer.define(k, v);
                p = "null".equals(spec) ? null : RowProgram.of(json.readTree(spec), k, v);
                if (p == null) p = NONE;
                byValue.put(v, p);
                size++;
            }
            lastKey = k;
            lastValue = v;
            last = p;
            return p == NONE ? null : p;
        }
    }
}
