#include "scenario_events_model.h"

#include "andon/andon_types.h"
#include "status_colors.h"
#include "training_text.h"

#include <QBrush>
#include <QJsonObject>

namespace tai::ui {

void ScenarioEventsModel::setEvents(const QJsonArray& events) {
    beginResetModel();
    events_ = events;
    endResetModel();
}

int ScenarioEventsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(events_.size());
}

int ScenarioEventsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScenarioEventsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= events_.size()) {
        return {};
    }
    const QJsonObject e = events_.at(index.row()).toObject();
    const QString kind = e.value(QStringLiteral("kind")).toString();
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
            case Time: {
                const double at = e.value(QStringLiteral("at_s")).toDouble();
                return role == Qt::ToolTipRole
                           ? QVariant(QStringLiteral("%1 s after the start").arg(at, 0, 'f', 3))
                           : QVariant(clockText(at));
            }
            case Kind:
                return kind;
            case What:
                return eventText(e);
            default:
                return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Kind) {
        if (kind == u"alert" && e.value(QStringLiteral("state")).toString() == u"firing") {
            const QString severity = e.value(QStringLiteral("severity")).toString();
            return QBrush(severityColor(severity == u"CRITICAL" ? Severity::Critical
                                        : severity == u"HIGH"   ? Severity::High
                                                                : Severity::Low));
        }
        if (kind == u"rollback" ||
            (kind == u"breaker_transition" && e.value(QStringLiteral("to")).toString() == u"open")) {
            return QBrush(lightColor(AndonLight::Red));
        }
    }
    return {};
}

QVariant ScenarioEventsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
        case Time:
            return QStringLiteral("Time");
        case Kind:
            return QStringLiteral("Kind");
        case What:
            return QStringLiteral("What happened");
        default:
            return {};
    }
}

}  // namespace tai::ui
