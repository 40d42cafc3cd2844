#include "trace/trace_context.h"

#include "trace/span.h"

namespace tai {

namespace {
bool isLowerHex(QByteArrayView text) {
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

bool isAllZero(QByteArrayView text) {
    for (const char c : text) {
        if (c != '0') {
            return false;
        }
    }
    return true;
}
}  // namespace

std::optional<TraceParent> parseTraceparent(QByteArrayView header) {
    const QByteArrayView text = header.trimmed();
    // version "-" trace-id "-" parent-id "-" trace-flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 = 55 bytes.
    // Version 00 is exactly that; "ff" is invalid; a later version may append "-" and more.
    if (text.size() < 55 || text[2] != '-' || text[35] != '-' || text[52] != '-' ||
        (text.size() > 55 && text[55] != '-')) {
        return std::nullopt;
    }
    const QByteArrayView version = text.first(2);
    const QByteArrayView traceId = text.sliced(3, 32);
    const QByteArrayView spanId = text.sliced(36, 16);
    const QByteArrayView flags = text.sliced(53, 2);
    if (!isLowerHex(version) || version == "ff" || (version == "00" && text.size() != 55) ||
        !isLowerHex(traceId) || !isLowerHex(spanId) || !isLowerHex(flags) || isAllZero(traceId) ||
        isAllZero(spanId)) {
        return std::nullopt;
    }
    TraceParent parent;
    parent.traceId = QString::fromLatin1(traceId);
    parent.spanId = spanId.toULongLong(nullptr, 16);
    parent.sampled = (flags.toUInt(nullptr, 16) & 0x01u) != 0;
    return parent;
}

QByteArray formatTraceparent(const QString& traceId, std::uint64_t spanId, bool sampled) {
    return "00-" + traceId.toLatin1() + '-' + spanIdHex(spanId).toLatin1() + (sampled ? "-01" : "-00");
}

}  // namespace tai
