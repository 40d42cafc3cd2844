#include "alert_board_model.h"

#include "status_colors.h"

#include <QBrush>
#include <QDateTime>

namespace tai::ui {

QString ageText(std::int64_t ms) {
    const std::int64_t s = std::max<std::int64_t>(0, ms / 1000);
    if (s < 60) {
        return QStringLiteral("%1 s").arg(s);
    }
    if (s < 3600) {
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
    }
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

namespace {
QString valueText(const ActiveAlert& a) {
    if (a.event) {
        return QStringLiteral("event");
    }
    const bool fraction = a.rule.endsWith(QStringLiteral("_rate"));
    const auto number = [fraction](double v) {
        return fraction ? QString::number(v * 100, 'f', 1) + QLatin1Char('%') : QString::number(v, 'f', 0);
    };
    if (a.rule == u"breaker_open") {
        return QStringLiteral("open");
    }
    const QString comparison = a.rule == u"success_rate" ? QStringLiteral(" < ") : QStringLiteral(" > ");
    return number(a.value) + comparison + number(a.threshold);
}
}  // namespace

AlertBoardModel::AlertBoardModel(bool history, QObject* parent)
    : QAbstractTableModel(parent), history_(history) {}

void AlertBoardModel::setAlerts(std::vector<ActiveAlert> alerts, std::int64_t nowMs) {
    nowMs_ = nowMs;
    const bool sameRows =
        alerts.size() == alerts_.size() &&
        std::equal(alerts.begin(), alerts.end(), alerts_.begin(),
                   [](const ActiveAlert& a, const ActiveAlert& b) { return a.key == b.key; });
    ++generation_;
    if (sameRows) {
        alerts_ = std::move(alerts);
        if (!alerts_.empty()) {
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        }
        return;
    }
    beginResetModel();
    alerts_ = std::move(alerts);
    endResetModel();
}

const ActiveAlert* AlertBoardModel::alertAt(int row) const {
    return row >= 0 && row < rowCount() ? &alerts_[static_cast<std::size_t>(row)] : nullptr;
}

int AlertBoardModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(alerts_.size());
}

int AlertBoardModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertBoardModel::data(const QModelIndex& index, int role) const {
    const ActiveAlert* a = index.isValid() ? alertAt(index.row()) : nullptr;
    if (a == nullptr) {
        return {};
    }
    if (role == KeyRole) {
        return a->key;
    }
    const bool silenced = a->silencedAt(nowMs_);
    if (role == Qt::ForegroundRole && index.column() == Severity) {
        return QBrush(severityColor(a->severity));
    }
    if (role == Qt::ToolTipRole) {
        QString tip = a->message + QStringLiteral("\nkey: ") + a->key;
        if (history_) {
            tip += QStringLiteral("\nlasted ") +
                   ageText(a->resolvedAtMs - (a->firingAtMs ? a->firingAtMs : a->raisedAtMs));
        }
        if (a->forS > 0) {
            tip += QStringLiteral("\nfires after holding %1 s").arg(a->forS);
        }
        if (a->acknowledged) {
            tip += QStringLiteral("\nacknowledged by %1: %2").arg(a->ackBy, a->ackNote);
        }
        if (silenced) {
            tip += QStringLiteral("\nsilenced by %1: %2").arg(a->silencedBy, a->silenceReason);
        }
        return tip;
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (index.column()) {
        case Severity:
            return toString(a->severity);
        case State:
            return history_
                       ? QStringLiteral("resolved")
                       : QString(toString(a->state) + (silenced ? QStringLiteral(" (silenced)") : QString()));
        case Alert:
            return a->message;
        case Subject:
            return a->subject;
        case Age:
            if (history_) {
                return QString(ageText(nowMs_ - a->resolvedAtMs) + QStringLiteral(" ago"));
            }
            return a->state == AlertState::Pending
                       ? QStringLiteral("%1 of %2 s").arg((nowMs_ - a->raisedAtMs) / 1000).arg(a->forS)
                       : ageText(nowMs_ - a->firingAtMs);
        case Value:
            return valueText(*a);
        case Handling: {
            QStringList parts;
            if (a->acknowledged) {
                parts << QStringLiteral("ACK %1").arg(a->ackBy) +
                             (a->ackNote.isEmpty() ? QString() : QStringLiteral(": ") + a->ackNote);
            }
            if (silenced) {
                parts << QStringLiteral("silenced %1 more").arg(ageText(a->silencedUntilMs - nowMs_));
            }
            return parts.join(QStringLiteral(" · "));
        }
    }
    return {};
}

QVariant AlertBoardModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    static const char* const kNames[] = {"Severity",          "State",  "Alert", "Subject", "Age",
                                         "Value / threshold", "Handled"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(kNames[section]) : QVariant();
}

}  // namespace tai::ui
