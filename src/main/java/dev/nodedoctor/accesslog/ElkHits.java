package dev.nodedoctor.accesslog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;

/**
 * Access-log documents as exported from Elasticsearch / OpenSearch: a hit ({@code {"_source": {…}}}) per
 * line, or a whole {@code _search} response whose {@code hits.hits[]} is streamed one hit at a time (Jackson's
 * streaming parser), so a large export is never held in memory. Fields are read by their leaf names
 * ({@code request_time}, {@code upstream_connect_time}, …; nested objects such as {@code nginx.request_time}
 * are flattened), numbers and strings alike.
 */
public final class ElkHits {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Fields fields;

    public ElkHits(String joinField) {
        this.fields = new Fields(joinField);
    }

    /** Fills the record from one hit (or a bare source object); null when it is fine, else why not. */
    public String fill(JsonNode hit, AccessRecord r) {
        r.reset(null);
        JsonNode src = hit.has("_source") ? hit.get("_source") : hit.has("fields") ? hit.get("fields") : hit;
        if (!src.isObject()) {
            return "no _source object";
        }
        return walk(src, r);
    }

    private String walk(JsonNode obj, AccessRecord r) {
        Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            if (v.isObject()) {
                String err = walk(v, r);
                if (err != null) {
                    return err;
                }
                continue;
            }
            if (v.isArray() && v.size() == 1) {
                v = v.get(0); // the "fields" form of a hit wraps each value in an array
            }
            if (v.isNull() || v.isContainerNode()) {
                continue;
            }
            int slot = fields.slot(f.getKey());
            if (slot != Fields.IGNORE && !fields.apply(r, slot, v.asText())) {
                return "bad value for \"" + f.getKey() + "\": " + v.asText();
            }
        }
        return null;
    }

    public String fillLine(byte[] b, int s, int e, AccessRecord r) {
        try {
            return fill(MAPPER.readTree(b, s, e - s), r);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            return "not a JSON document: " + ex.getOriginalMessage();
        } catch (IOException ex) {
            return "not a JSON document: " + ex.getMessage();
        }
    }

    /** Streams the hits of a {@code _search} response. */
    public static final class Response {
        private final JsonParser parser;
        private boolean inHits;

        public Response(InputStream in) throws IOException {
            this.parser = new JsonFactory(MAPPER).createParser(in);
        }

        /** The next hit, or null at the end. */
        public JsonNode next() throws IOException {
            if (!inHits && !seekHits()) {
                return null;
            }
            JsonToken t = parser.nextToken();
            if (t == null || t == JsonToken.END_ARRAY) {
                inHits = false;
                return null;
            }
            return parser.readValueAsTree();
        }

        /** Walks to {@code hits.hits}: a "hits" field whose value is an array. */
        private boolean seekHits() throws IOException {
            JsonToken t;
            while ((t = parser.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken v = parser.nextToken();
                    if ("hits".equals(name) && v == JsonToken.START_ARRAY) {
                        inHits = true;
                        return true;
                    }
                    if (!"hits".equals(name) && v.isStructStart()) {
                        parser.skipChildren();
                    }
                }
            }
            return false;
        }
    }
}
