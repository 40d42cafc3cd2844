#include "base/rfc3339.h"

#include <QRegularExpression>

namespace tai {

namespace {
// Howard Hinnant's days_from_civil: proleptic Gregorian date → days since 1970-01-01.
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool isLeap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int daysInMonth(int y, int m) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : days[m - 1];
}
}  // namespace

std::optional<TimePoint> parseRfc3339(QStringView text) {
    static const QRegularExpression pattern(QStringLiteral(
        R"(^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$)"));
    const auto match = pattern.match(text.toString());
    if (!match.hasMatch()) {
        return std::nullopt;
    }
    const int year = match.capturedView(1).toInt();
    const int month = match.capturedView(2).toInt();
    const int day = match.capturedView(3).toInt();
    const int hour = match.capturedView(4).toInt();
    const int minute = match.capturedView(5).toInt();
    int second = match.capturedView(6).toInt();
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 ||
        second > 60) {
        return std::nullopt;
    }
    second = std::min(second, 59);  // a leap second is held at :59
    std::int64_t micros = 0;
    if (match.hasCaptured(7)) {
        QString fraction = match.captured(7);
        fraction = fraction.leftJustified(6, QLatin1Char('0')).left(6);
        micros = fraction.toLongLong();
    }
    std::int64_t offsetMinutes = 0;
    if (match.hasCaptured(9)) {
        const int oh = match.capturedView(10).toInt();
        const int om = match.capturedView(11).toInt();
        if (oh > 23 || om > 59) {
            return std::nullopt;
        }
        offsetMinutes = (oh * 60 + om) * (match.capturedView(9) == u"-" ? -1 : 1);
    }
    const std::int64_t days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
    return TimePoint(Duration(seconds * 1'000'000 + micros));
}

QString formatRfc3339(TimePoint t) {
    const auto days = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd(days);
    const auto timeOfDay = std::chrono::hh_mm_ss(std::chrono::floor<std::chrono::milliseconds>(t - days));
    return QString::asprintf(
        "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
        static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
        static_cast<int>(timeOfDay.hours().count()), static_cast<int>(timeOfDay.minutes().count()),
        static_cast<int>(timeOfDay.seconds().count()), static_cast<int>(timeOfDay.subseconds().count()));
}

}  // namespace tai
