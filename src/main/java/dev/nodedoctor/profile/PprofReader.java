package dev.nodedoctor.profile;

import com.google.perftools.profiles.ProfileProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Decodes a pprof profile.proto (gzipped as Go writes it, or plain) into a {@link PprofProfile}, checking what
 * pprof's own decoder checks: string 0 is empty, every index and id points somewhere, every sample has one value
 * per sample type.
 */
public final class PprofReader {
    /** Protobuf messages cannot exceed 2 GiB; refuse earlier than the JVM's array limit. */
    public static final long MAX_DECODED_BYTES = Integer.MAX_VALUE - 64;

    private PprofReader() {
    }

    /** True when the bytes start like a gzip stream (magic 1f 8b). */
    public static boolean isGzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    /** Inflates gzip input (several members too, as Go's reader does); other input is returned as is. */
    public static byte[] gunzipIfNeeded(byte[] data, String what) throws ProfileFormatException {
        if (!isGzip(data)) {
            return data;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data), 64 * 1024)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, data.length * 4));
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > MAX_DECODED_BYTES) {
                    throw new ProfileFormatException(what + ": more than 2 GiB after gunzip; not a profile pprof can read");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (EOFException e) {
            throw new ProfileFormatException(what + ": truncated gzip stream (the file ends before the compressed data does)", e);
        } catch (ZipException e) {
            throw new ProfileFormatException(what + ": corrupt gzip stream (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ProfileFormatException(what + ": cannot gunzip (" + e.getMessage() + ")", e);
        }
    }

    /** Parses a profile from its file bytes; {@code what} names the input in error messages. */
    public static PprofProfile parse(byte[] data, String what) throws ProfileFormatException {
        byte[] raw = gunzipIfNeeded(data, what);
        if (raw.length == 0) {
            throw new ProfileFormatException(what + ": empty input, not a pprof profile");
        }
        ProfileProto.Profile p;
        try {
            CodedInputStream cin = CodedInputStream.newInstance(raw);
            cin.setSizeLimit(Integer.MAX_VALUE);
            p = ProfileProto.Profile.parseFrom(cin);
        } catch (InvalidProtocolBufferException e) {
            throw new ProfileFormatException(what + ": not a pprof profile (protobuf decoding failed: "
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ProfileFormatException(what + ": cannot decode: " + e.getMessage(), e);
        }
        return resolve(p, what);
    }

    private static PprofProfile resolve(ProfileProto.Profile p, String what) throws ProfileFormatException {
        List<String> strings = p.getStringTableList();
        if (strings.isEmpty() || !strings.get(0).isEmpty()) {
            throw new ProfileFormatException(what + ": not a pprof profile (its string table must start with \"\")");
        }
        Strings s = new Strings(strings, what);
        if (p.getSampleTypeCount() == 0) {
            throw new ProfileFormatException(what + ": not a pprof profile (it declares no sample types)");
        }
        List<PprofProfile.ValueType> types = new ArrayList<>();
        for (ProfileProto.ValueType vt : p.getSampleTypeList()) {
            types.add(new PprofProfile.ValueType(s.get(vt.getType()), s.get(vt.getUnit())));
        }
        Map<Long, PprofProfile.Mapping> mappings = new LinkedHashMap<>();
        for (ProfileProto.Mapping m : p.getMappingList()) {
            if (m.getId() == 0) {
                throw new ProfileFormatException(what + ": malformed profile: mapping with id 0");
            }
            mappings.put(m.getId(), new PprofProfile.Mapping(m.getId(), s.get(m.getFilename()), s.get(m.getBuildId())));
        }
        IdTable<PprofProfile.Function> functions = new IdTable<>(p.getFunctionCount());
        for (ProfileProto.Function f : p.getFunctionList()) {
            if (f.getId() == 0) {
                throw new ProfileFormatException(what + ": malformed profile: function with id 0");
            }
            functions.put(f.getId(), what, "function", new PprofProfile.Function(f.getId(), s.get(f.getName()), s.get(f.getSystemName()),
                    s.get(f.getFilename()), f.getStartLine()));
        }
        IdTable<PprofProfile.Location> locations = new IdTable<>(p.getLocationCount());
        List<PprofProfile.Location> locationList = new ArrayList<>(p.getLocationCount());
        for (ProfileProto.Location l : p.getLocationList()) {
            if (l.getId() == 0) {
                throw new ProfileFormatException(what + ": malformed profile: location with id 0");
            }
            PprofProfile.Mapping m = null;
            if (l.getMappingId() != 0) {
                m = mappings.get(l.getMappingId());
                if (m == null) {
                    throw new ProfileFormatException(what + ": malformed profile: location " + l.getId()
                            + " names mapping " + l.getMappingId() + ", which does not exist");
                }
            }
            List<PprofProfile.Line> lines = new ArrayList<>(l.getLineCount());
            for (ProfileProto.Line line : l.getLineList()) {
                PprofProfile.Function f = null;
                if (line.getFunctionId() != 0) {
                    f = functions.get(line.getFunctionId());
                    if (f == null) {
                        throw new ProfileFormatException(what + ": malformed profile: location " + l.getId()
                                + " names function " + line.getFunctionId() + ", which does not exist");
                    }
                }
                lines.add(new PprofProfile.Line(f, line.getLine()));
            }
            PprofProfile.Location loc = new PprofProfile.Location(l.getId(), locationList.size(), m, l.getAddress(),
                    List.copyOf(lines));
            locations.put(l.getId(), what, "location", loc);
            locationList.add(loc);
        }
        List<PprofProfile.Sample> samples = new ArrayList<>(p.getSampleCount());
        int nTypes = types.size();
        for (ProfileProto.Sample smp : p.getSampleList()) {
            if (smp.getValueCount() != nTypes) {
                throw new ProfileFormatException(what + ": malformed profile: a sample has " + smp.getValueCount()
                        + " values for " + nTypes + " sample types");
            }
            PprofProfile.Location[] stack = new PprofProfile.Location[smp.getLocationIdCount()];
            for (int i = 0; i < stack.length; i++) {
                long id = smp.getLocationId(i);
                PprofProfile.Location loc = locations.get(id);
                if (loc == null) {
                    throw new ProfileFormatException(what + ": malformed profile: a sample names location " + id
                            + ", which does not exist");
                }
                stack[i] = loc;
            }
            long[] values = new long[nTypes];
            for (int i = 0; i < nTypes; i++) {
                values[i] = smp.getValue(i);
            }
            Map<String, List<String>> labels = Map.of();
            if (smp.getLabelCount() > 0) {
                labels = new LinkedHashMap<>();
                for (ProfileProto.Label label : smp.getLabelList()) {
                    if (label.getStr() != 0) {
                        labels.computeIfAbsent(s.get(label.getKey()), k -> new ArrayList<>()).add(s.get(label.getStr()));
                    }
                }
            }
            samples.add(new PprofProfile.Sample(stack, values, labels));
        }
        List<String> comments = new ArrayList<>();
        for (long c : p.getCommentList()) {
            comments.add(s.get(c));
        }
        PprofProfile.ValueType period = p.hasPeriodType()
                ? new PprofProfile.ValueType(s.get(p.getPeriodType().getType()), s.get(p.getPeriodType().getUnit()))
                : null;
        return new PprofProfile(List.copyOf(types), Collections.unmodifiableList(samples),
                Collections.unmodifiableList(locationList), functions.values(),
                List.copyOf(mappings.values()), s.get(p.getDropFrames()), s.get(p.getKeepFrames()), p.getTimeNanos(),
                p.getDurationNanos(), period, p.getPeriod(), List.copyOf(comments), s.get(p.getDefaultSampleType()),
                s.get(p.getDocUrl()));
    }

    /** Objects by id: an array when ids are dense (Go numbers them 1..n), a map otherwise. */
    private static final class IdTable<T> {
        private final Object[] dense;
        private final Map<Long, T> sparse = new HashMap<>();
        private final List<T> values = new ArrayList<>();

        IdTable(int count) {
            dense = new Object[count * 2 + 16];
        }

        void put(long id, String what, String kind, T value) throws ProfileFormatException {
            boolean dup;
            if (id > 0 && id < dense.length) {
                dup = dense[(int) id] != null;
                dense[(int) id] = value;
            } else {
                dup = sparse.put(id, value) != null;
            }
            if (dup) {
                throw new ProfileFormatException(what + ": malformed profile: two " + kind + "s with id " + id);
            }
            values.add(value);
        }

        @SuppressWarnings("unchecked")
        T get(long id) {
            if (id > 0 && id < dense.length) {
                return (T) dense[(int) id];
            }
            return sparse.get(id);
        }

        List<T> values() {
            return Collections.unmodifiableList(values);
        }
    }

    private record Strings(List<String> table, String what) {
        String get(long index) throws ProfileFormatException {
            if (index < 0 || index >= table.size()) {
                throw new ProfileFormatException(what + ": malformed profile: string index " + index
                        + " outside the string table (" + table.size() + " strings)");
            }
            return table.get((int) index);
        }
    }
}
