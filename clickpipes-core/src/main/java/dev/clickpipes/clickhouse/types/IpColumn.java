package dev.clickpipes.clickhouse.types;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IPv4 (UInt32, from dotted text; ClickHouse refuses a number in JSON, and so do we) and IPv6 (16 bytes in network order, from text;
 * an IPv4 address becomes its IPv4-mapped form). Text must be a literal address: host names are
 * refused, never looked up.
 */
final class IpColumn extends Column {

    private final boolean v6;

    IpColumn(String name, DataType type) {
        super(name, type);
        this.v6 = type.name().equals("IPv6");
    }

    @Override
    public void appendDefault() {
        data.writeZeros(v6 ? 16 : 4);
    }

    @Override
    public void appendString(String v) throws ValueConversionException {
        String s = v.strip();
        byte[] address = parse(s);
        if (address == null) {
            throw invalid(v, "is not an " + type().name() + " address");
        }
        if (!v6) {
            if (address.length != 4) {
                throw invalid(v, "is not an IPv4 address");
            }
            data.writeInt(((address[0] & 0xFF) << 24) | ((address[1] & 0xFF) << 16) | ((address[2] & 0xFF) << 8)
                    | (address[3] & 0xFF));
        } else if (address.length == 4) {
            data.writeZeros(10);
            data.writeByte(0xFF);
            data.writeByte(0xFF);
            data.writeBytes(address, 0, 4);
        } else {
            data.writeBytes(address, 0, 16);
        }
    }

    /** The address bytes of a literal, or null; checks the text first so nothing is resolved over DNS. */
    private static byte[] parse(String s) {
        if (s.isEmpty() || !(s.indexOf(':') >= 0 || s.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')))) {
            return null;
        }
        if (s.indexOf(':') < 0 && s.split("\\.", -1).length != 4) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByName(s.indexOf(':') >= 0 && !s.startsWith("[") ? "[" + s + "]" : s);
            return a instanceof Inet4Address || a instanceof Inet6Address ? a.getAddress() : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
