#include "http/http_date.h"

#include <cstdio>

namespace tai {

QByteArrayView HttpDate::now() {
    return at(std::time(nullptr));
}

QByteArrayView HttpDate::at(std::time_t second) {
    if (second != second_) {
        static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
        static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        std::tm utc{};
        gmtime_r(&second, &utc);
        size_ = std::snprintf(text_, sizeof text_, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[utc.tm_wday],
                              utc.tm_mday, kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                              utc.tm_sec);
        second_ = second;
    }
    return QByteArrayView(text_, size_);
}

}  // namespace tai
