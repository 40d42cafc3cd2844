#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>

namespace tai::ui {

// A scenario report's events (§9.5) as a table: virtual time, kind, and what happened in words.
class ScenarioEventsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Kind, What, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setEvents(const QJsonArray& events);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QJsonArray events_;
};

}  // namespace tai::ui
