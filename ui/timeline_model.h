#pragma once

#include "engine/engine_snapshot.h"

#include <QAbstractTableModel>

#include <deque>

namespace tai::ui {

// The event timeline, newest first. New events are merged in by sequence number (inserted at
// the top, oldest trimmed at the bottom); the model never resets, so selection and scroll
// position survive live updates.
class TimelineModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Kind, Subject, Event, ColumnCount };
    enum Role { KindRole = Qt::UserRole + 1 };  // the bare kind, without a REFUSED mark
    static constexpr int kMaxRows = 1000;

    explicit TimelineModel(QObject* parent = nullptr);

    void merge(const std::vector<TimelineEvent>& events);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::deque<TimelineEvent> rows_;  // newest first
    std::uint64_t newestSequence_ = 0;
};

}  // namespace tai::ui
