#include "base/money.h"

#include <QLocale>

#include <cmath>
#include <limits>

namespace tai {

std::optional<std::int64_t> parseMinorUnits(QStringView decimal) {
    const qsizetype dot = decimal.indexOf(QLatin1Char('.'));
    const QStringView whole = dot < 0 ? decimal : decimal.left(dot);
    const QStringView fraction = dot < 0 ? QStringView{} : decimal.mid(dot + 1);
    if (whole.isEmpty() || (dot >= 0 && (fraction.isEmpty() || fraction.size() > 2))) {
        return std::nullopt;
    }
    const auto allDigits = [](QStringView s) {
        for (const QChar c : s) {
            if (c < QLatin1Char('0') || c > QLatin1Char('9')) {
                return false;
            }
        }
        return true;
    };
    if (!allDigits(whole) || !allDigits(fraction)) {
        return std::nullopt;
    }
    // Leading zeros are allowed; 13 significant whole digits already exceed any valid amount.
    qsizetype firstNonZero = 0;
    while (firstNonZero < whole.size() - 1 && whole[firstNonZero] == QLatin1Char('0')) {
        ++firstNonZero;
    }
    if (whole.size() - firstNonZero > 13) {
        return std::numeric_limits<std::int64_t>::max();  // out of range, still "a number"
    }
    std::int64_t minor = whole.mid(firstNonZero).toLongLong() * 100;
    if (!fraction.isEmpty()) {
        minor += fraction.size() == 1 ? fraction.toInt() * 10 : fraction.toInt();
    }
    return minor;
}

std::optional<std::int64_t> parseMinorUnits(const QJsonValue& value) {
    if (value.isString()) {
        return parseMinorUnits(QStringView(value.toString()));
    }
    if (!value.isDouble()) {
        return std::nullopt;
    }
    const double number = value.toDouble();
    if (!std::isfinite(number)) {
        return std::nullopt;
    }
    if (std::fabs(number) >= 1e13) {
        return number < 0 ? std::int64_t{-1} : std::numeric_limits<std::int64_t>::max();
    }
    // The shortest text that round-trips tells how many decimals the number really has:
    // 10.1 → "10.1" (ok), 1.005 → "1.005" (three decimals, rejected), 1e2 → "100".
    const QString shortest = QString::number(number, 'f', QLocale::FloatingPointShortest);
    const qsizetype dot = shortest.indexOf(QLatin1Char('.'));
    if (dot >= 0 && shortest.size() - dot - 1 > 2) {
        return std::nullopt;
    }
    return std::llround(number * 100.0);
}

QString formatMinorUnits(std::int64_t minor) {
    const bool negative = minor < 0;
    const std::uint64_t magnitude =
        negative ? static_cast<std::uint64_t>(-(minor + 1)) + 1 : static_cast<std::uint64_t>(minor);
    return (negative ? QStringLiteral("-") : QString()) + QString::number(magnitude / 100) +
           QLatin1Char('.') + QString::number(magnitude % 100).rightJustified(2, QLatin1Char('0'));
}

}  // namespace tai
