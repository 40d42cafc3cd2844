#include "http/http_date.h"

#include <cstdio>

namespace tai {

QByteArrayView HttpDate::now() {
    return at(std::time(nullptr));
}

QByteArrayView HttpDate::at(std::time_t second) {
    if (second != second_) {
        static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
        static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        std::tm utc{};
        gmtime_r(&second, &utc);
        size_ = std::snprintf(text_.data(), text_.size(), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                              kDays[static_cast<std::size_t>(utc.tm_wday)], utc.tm_mday,
                              kMonths[static_cast<std::size_t>(utc.tm_mon)], utc.tm_year + 1900, utc.tm_hour,
                              utc.tm_min, utc.tm_sec);
        second_ = second;
    }
    return {text_.data(), size_};
}

}  // namespace tai
