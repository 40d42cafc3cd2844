#include "fleet/traceparent.h"

#include <QList>

namespace tai::fleet {

namespace {

bool isLowerHex(const QByteArray& text) {
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

bool allZero(const QByteArray& text) {
    return text.count('0') == text.size();
}

}  // namespace

bool isValidTraceparent(const QByteArray& traceparent) {
    const QList<QByteArray> parts = traceparent.split('-');
    if (parts.size() != 4 || parts[0].size() != 2 || parts[1].size() != 32 || parts[2].size() != 16 ||
        parts[3].size() != 2) {
        return false;
    }
    for (const QByteArray& part : parts) {
        if (!isLowerHex(part)) {
            return false;
        }
    }
    return parts[0] != "ff" && !allZero(parts[1]) && !allZero(parts[2]);
}

}  // namespace tai::fleet
