#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include <cstdint>

namespace tai::fleet {

// One key of the fleet's operator intent (tai_<fleet>_control) as an instance applies it.
struct ControlChange {
    QString key;
    QByteArray value;  // empty when deleted
    std::uint64_t revision = 0;
    bool deleted = false;
};

}  // namespace tai::fleet

Q_DECLARE_METATYPE(tai::fleet::ControlChange)
