#pragma once

#include <QByteArrayView>

#include <array>
#include <ctime>

namespace tai {

// The Date header's IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), formatted at most once a
// second. Each I/O thread owns one, so nothing is shared. The names are spelled out rather than
// taken from strftime: Qt sets the C locale from the environment, and %a would follow it.
class HttpDate {
public:
    QByteArrayView now();
    QByteArrayView at(std::time_t second);

private:
    std::time_t second_ = -1;
    std::array<char, 32> text_{};
    int size_ = 0;
};

}  // namespace tai
