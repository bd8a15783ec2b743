package dev.verist.storage.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.StoredDataException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values as plain trees ({@code Map}, {@code List}, {@code String}, {@code Number}, {@code Boolean},
 * null): converting what callers hand in, checking it fits PostgreSQL {@code jsonb}, writing and reading text.
 */
public final class JsonValues {

    /** The one mapper: java.time as ISO-8601 strings (as JavaScript's Date.toJSON), numbers read as Integer/Long/BigInteger/Double. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    // Readers resolved once: resolving the target type per call showed up in the commit profile.
    private static final ObjectReader ANY = MAPPER.readerFor(Object.class);
    private static final ObjectReader OBJECT = MAPPER.readerFor(new TypeReference<LinkedHashMap<String, Object>>() { });

    private JsonValues() {
    }

    /**
     * The value as a JSON tree that PostgreSQL can store. Plain trees come back as the same instance;
     * records, POJOs, arrays and other collections are converted with Jackson.
     *
     * @throws InvalidRequestException naming {@code path} (or the nested path) for strings with U+0000 or an
     *     unpaired surrogate, non-finite numbers, null map keys, or values Jackson cannot convert
     */
    public static Object storable(Object value, String path) {
        return tree(value, path, true);
    }

    /** Like {@link #storable} for an object; null stays null. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> storableObject(Map<String, ?> value, String path) {
        return (Map<String, Object>) tree(value, path, true);
    }

    /** The value as a JSON tree without the storage checks: for hashing, where JavaScript semantics apply. */
    public static Object hashable(Object value, String path) {
        return tree(value, path, false);
    }

    /** Compact JSON text of a tree; null is JSON {@code null}. */
    public static String write(Object tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialise", e);
        }
    }

    /** Compact JSON text of a tree, or null (SQL NULL) for null. */
    public static String writeNullable(Object tree) {
        return tree == null ? null : write(tree);
    }

    /** Parses JSON text read from the database; SQL NULL gives null. */
    public static Object read(String json) {
        if (json == null) {
            return null;
        }
        try {
            return ANY.readValue(json);
        } catch (JsonProcessingException e) {
            throw new StoredDataException("Stored JSON cannot be parsed: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses a JSON object read from the database; SQL NULL gives null. */
    public static Map<String, Object> readObject(String json) {
        if (json == null) {
            return null;
        }
        if (json.equals("{}")) {
            return new LinkedHashMap<>();
        }
        try {
            return OBJECT.readValue(json);
        } catch (JsonProcessingException e) {
            throw new StoredDataException("Stored JSON is not an object: " + e.getOriginalMessage(), e);
        }
    }

    private static Object tree(Object value, String path, boolean storable) {
        try {
            return tree(value, storable);
        } catch (BadValue bad) {
            throw new InvalidRequestException(path + bad.path(), bad.getMessage());
        }
    }

    // Paths are built only on failure, as the exception unwinds, so a valid tree costs no string work.
    private static Object tree(Object value, boolean storable) {
        if (value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof String s) {
            if (storable) {
                String problem = Checks.textProblem(s);
                if (problem != null) {
                    throw new BadValue(problem);
                }
            }
            return s;
        }
        if (value instanceof Number n) {
            return number(n, storable);
        }
        if (value instanceof Map<?, ?> map) {
            return map(map, storable);
        }
        if (value instanceof List<?> list) {
            return list(list, storable);
        }
        if (value instanceof Collection<?> collection) {
            return list(new ArrayList<>(collection), storable);
        }
        if (value.getClass().isArray()) {
            return list(arrayToList(value), storable);
        }
        if (value instanceof Character c) {
            return tree(String.valueOf(c), storable);
        }
        return tree(convert(value), storable);
    }

    private static Object convert(Object value) {
        Object converted;
        try {
            converted = MAPPER.convertValue(value, Object.class);
        } catch (IllegalArgumentException e) {
            throw new BadValue("cannot be converted to JSON (" + value.getClass().getName() + ")");
        }
        if (converted != null && converted.getClass() == value.getClass()) {
            throw new BadValue("cannot be converted to JSON (" + value.getClass().getName() + ")");
        }
        return converted;
    }

    private static Object number(Number n, boolean storable) {
        if (n instanceof Integer || n instanceof Long || n instanceof BigInteger || n instanceof BigDecimal
                || n instanceof Short || n instanceof Byte) {
            return n;
        }
        if (n instanceof Double || n instanceof Float) {
            if (storable && !Double.isFinite(n.doubleValue())) {
                throw new BadValue("is " + n + ", which JSON cannot hold");
            }
            return n;
        }
        try {
            return new BigDecimal(n.toString());
        } catch (NumberFormatException e) {
            throw new BadValue("is " + n + ", which JSON cannot hold");
        }
    }

    private static Object map(Map<?, ?> map, boolean storable) {
        Map<String, Object> copy = null;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Object key = entry.getKey();
            if (key == null) {
                throw new BadValue("has a null key");
            }
            String name = key instanceof String s ? s : key.toString();
            String keyProblem = storable ? Checks.textProblem(name) : null;
            if (keyProblem != null) {
                throw new BadValue("has a key that " + keyProblem);
            }
            Object value = entry.getValue();
            Object converted;
            try {
                converted = tree(value, storable);
            } catch (BadValue bad) {
                throw bad.under("." + name);
            }
            if (copy == null && (converted != value || !(key instanceof String))) {
                copy = copyBefore(map, key);
            }
            if (copy != null) {
                copy.put(name, converted);
            }
        }
        return copy == null ? map : copy;
    }

    private static Map<String, Object> copyBefore(Map<?, ?> map, Object stopKey) {
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(16, map.size() * 2));
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getKey() == stopKey) {
                break;
            }
            copy.put((String) entry.getKey(), entry.getValue());
        }
        return copy;
    }

    private static Object list(List<?> list, boolean storable) {
        List<Object> copy = null;
        int i = 0;
        for (Object value : list) {
            Object converted;
            try {
                converted = tree(value, storable);
            } catch (BadValue bad) {
                throw bad.under("[" + i + "]");
            }
            if (copy == null && converted != value) {
                copy = new ArrayList<>(list.size());
                copy.addAll(list.subList(0, i));
            }
            if (copy != null) {
                copy.add(converted);
            }
            i++;
        }
        return copy == null ? list : copy;
    }

    /** A bad leaf; collects its path while unwinding. No stack trace: it never leaves this class. */
    private static final class BadValue extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private String path = "";

        BadValue(String problem) {
            super(problem, null, false, false);
        }

        BadValue under(String segment) {
            path = segment + path;
            return this;
        }

        String path() {
            return path;
        }
    }

    private static List<Object> arrayToList(Object array) {
        int length = Array.getLength(array);
        List<Object> list = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            list.add(Array.get(array, i));
        }
        return list;
    }
}
