#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace tai {

// The whole of a small input file (a policy, a scenario), read at most `maxBytes`: a file past
// that, or a device that never ends (`--policy /dev/zero`), is refused with an error naming the
// path and the limit instead of growing memory until the process is killed.
std::optional<QByteArray> readFileAtMost(const QString& path, qint64 maxBytes, QString* error);

}  // namespace tai
