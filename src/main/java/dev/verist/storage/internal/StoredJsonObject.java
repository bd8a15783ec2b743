package dev.verist.storage.internal;

import dev.verist.storage.StoredDataException;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A JSON object read from the database, as a read-only map parsed when it is first looked into. The state a
 * commit returns is often never read (the caller wanted the version, or nothing), and parsing it was a large
 * part of the client's work per commit; the text is kept instead, and parsed once, by the first reader,
 * whichever thread that is. Text that is not an object is refused when the map is made; a parse that fails later (a
 * document nested beyond the store's limit) is a {@link StoredDataException} from that first read.
 */
public final class StoredJsonObject extends AbstractMap<String, Object> {

    private final String json;
    private volatile Map<String, Object> parsed;

    private StoredJsonObject(String json) {
        this.json = json;
    }

    /**
     * The object {@code json} holds, parsed when first read; SQL NULL gives null, {@code {}} an empty map.
     *
     * @throws StoredDataException when the text is not a JSON object
     */
    public static Map<String, Object> of(String json) {
        if (json == null) {
            return null;
        }
        if (json.equals("{}")) {
            return Collections.emptyMap();
        }
        if (!startsAnObject(json)) {
            throw new StoredDataException("Stored JSON is not an object: " + abbreviated(json), null);
        }
        return new StoredJsonObject(json);
    }

    private Map<String, Object> map() {
        Map<String, Object> map = parsed;
        if (map == null) {
            synchronized (this) {
                map = parsed;
                if (map == null) {
                    map = Collections.unmodifiableMap(JsonValues.readObject(json));
                    parsed = map;
                }
            }
        }
        return map;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return map().entrySet();
    }

    @Override
    public Set<String> keySet() {
        return map().keySet();
    }

    @Override
    public Collection<Object> values() {
        return map().values();
    }

    @Override
    public int size() {
        return map().size();
    }

    @Override
    public boolean isEmpty() {
        return map().isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return map().containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        return map().containsValue(value);
    }

    @Override
    public Object get(Object key) {
        return map().get(key);
    }

    @Override
    public Object getOrDefault(Object key, Object defaultValue) {
        return map().getOrDefault(key, defaultValue);
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        map().forEach(action);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || map().equals(o);
    }

    @Override
    public int hashCode() {
        return map().hashCode();
    }

    @Override
    public String toString() {
        return map().toString();
    }

    // PostgreSQL writes jsonb without leading white space; a json column's text may have some.
    private static boolean startsAnObject(String json) {
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '{') {
                return true;
            }
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return false;
            }
        }
        return false;
    }

    private static String abbreviated(String json) {
        return json.length() <= 60 ? json : json.substring(0, 60) + "...";
    }
}
