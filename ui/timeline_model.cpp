#include "timeline_model.h"

#include "base/rfc3339.h"

#include <QBrush>
#include <QColor>

namespace tai::ui {

TimelineModel::TimelineModel(QObject* parent) : QAbstractTableModel(parent) {}

void TimelineModel::merge(const std::vector<TimelineEvent>& events) {
    std::vector<const TimelineEvent*> fresh;
    for (const TimelineEvent& e : events) {
        if (e.sequence > newestSequence_) {
            fresh.push_back(&e);
        }
    }
    if (fresh.empty()) {
        return;
    }
    beginInsertRows(QModelIndex(), 0, static_cast<int>(fresh.size()) - 1);
    for (const TimelineEvent* e : fresh) {  // oldest first, each pushed on top
        rows_.push_front(*e);
    }
    newestSequence_ = fresh.back()->sequence;
    endInsertRows();
    if (rows_.size() > kMaxRows) {
        beginRemoveRows(QModelIndex(), kMaxRows, static_cast<int>(rows_.size()) - 1);
        rows_.resize(kMaxRows);
        endRemoveRows();
    }
}

int TimelineModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int TimelineModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TimelineModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const TimelineEvent& e = rows_[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
            case Time:
                return role == Qt::ToolTipRole ? formatRfc3339(e.at) : formatRfc3339(e.at).mid(11, 12);
            case Kind:
                return e.kind;
            case Subject:
                return e.subject;
            case Event:
                return e.text;
            default:
                return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Kind) {
        if (e.kind == u"breaker_transition") {
            return QBrush(QColor(0xd0, 0x31, 0x2d));
        }
        if (e.kind == u"operator") {
            return QBrush(QColor(0x3b, 0x82, 0xf6));
        }
    }
    return {};
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
        case Time:
            return QStringLiteral("Time (UTC)");
        case Kind:
            return QStringLiteral("Kind");
        case Subject:
            return QStringLiteral("Subject");
        case Event:
            return QStringLiteral("Event");
        default:
            return {};
    }
}

}  // namespace tai::ui
