#include "base/identifiers.h"

#include "base/seeded_random.h"

namespace tai {

namespace {
QString hex64(std::uint64_t v) {
    return QString::number(v, 16).rightJustified(16, QLatin1Char('0'));
}
}  // namespace

QString traceIdFrom(std::uint64_t high, std::uint64_t low) {
    if (high == 0 && low == 0) {
        high = 1;  // all-zero is invalid in W3C trace context
    }
    // One allocation: this runs for every signal.
    static constexpr char16_t kDigits[] = u"0123456789abcdef";
    QString id(32, Qt::Uninitialized);
    QChar* out = id.data();
    for (int i = 0; i < 16; ++i) {
        out[i] = QChar(kDigits[(high >> (60 - 4 * i)) & 0xf]);
        out[16 + i] = QChar(kDigits[(low >> (60 - 4 * i)) & 0xf]);
    }
    return id;
}

QString makeTraceId(std::uint64_t seed, QStringView key) {
    SeededRandom random(seed, key, 11);
    const std::uint64_t high = random.next();
    return traceIdFrom(high, random.next());
}

QString makeSpanId(std::uint64_t seed, QStringView key) {
    SeededRandom random(seed, key, 13);
    const std::uint64_t id = random.next();
    return hex64(id == 0 ? 1 : id);
}

QString makeUuid(std::uint64_t seed, QStringView key) {
    SeededRandom random(seed, key, 17);
    std::uint64_t high = random.next();
    std::uint64_t low = random.next();
    high = (high & ~0xf000ULL) | 0x4000ULL;                          // version 4
    low = (low & ~(0xc000000000000000ULL)) | 0x8000000000000000ULL;  // RFC 4122 variant
    const QString h = hex64(high);
    const QString l = hex64(low);
    return h.left(8) + QLatin1Char('-') + h.mid(8, 4) + QLatin1Char('-') + h.mid(12, 4) + QLatin1Char('-') +
           l.left(4) + QLatin1Char('-') + l.mid(4);
}

}  // namespace tai
