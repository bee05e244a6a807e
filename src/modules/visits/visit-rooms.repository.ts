import { Injectable } from '@nestjs/common';
import { SqlRepository } from '../../common/database/sql-repository';
import { RoomLoad } from './domain/room-availability';
import {
  CLOSURE_COLUMNS,
  VISIT_ROOM_COLUMNS,
  VisitRoom,
  VisitRoomClosure,
} from './entities/long-visit.row';

@Injectable()
export class VisitRoomsRepository extends SqlRepository {
  async insert(r: Omit<VisitRoom, 'id' | 'active'>): Promise<VisitRoom> {
    const [row] = await this.q<VisitRoom>(
      `INSERT INTO visit_rooms AS r (facility_id, name, capacity, created_at)
       VALUES ($1, $2, $3, $4) RETURNING ${VISIT_ROOM_COLUMNS}`,
      [r.facilityId, r.name, r.capacity, r.createdAt],
    );
    return row;
  }

  async findById(id: string): Promise<VisitRoom | null> {
    const [row] = await this.q<VisitRoom>(
      `SELECT ${VISIT_ROOM_COLUMNS} FROM visit_rooms r WHERE r.id = $1`,
      [id],
    );
    return row ?? null;
  }

  /**
   * The room, locked against bookings until the transaction ends: a closure takes it for update,
   * a booking for share, so a booking never slips into a room a concurrent closure is emptying.
   */
  async lock(id: string, mode: 'update' | 'share'): Promise<VisitRoom | null> {
    const [row] = await this.q<VisitRoom>(
      `SELECT ${VISIT_ROOM_COLUMNS} FROM visit_rooms r WHERE r.id = $1
         FOR ${mode === 'update' ? 'UPDATE' : 'SHARE'}`,
      [id],
    );
    return row ?? null;
  }

  listByFacility(facilityId: string): Promise<VisitRoom[]> {
    return this.q<VisitRoom>(
      `SELECT ${VISIT_ROOM_COLUMNS} FROM visit_rooms r WHERE r.facility_id = $1 ORDER BY r.name, r.id`,
      [facilityId],
    );
  }

  async insertClosure(c: Omit<VisitRoomClosure, 'id'>): Promise<VisitRoomClosure> {
    const [row] = await this.q<VisitRoomClosure>(
      `INSERT INTO visit_room_closures AS c
         (room_id, facility_id, from_date, to_date, reason, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${CLOSURE_COLUMNS}`,
      [c.roomId, c.facilityId, c.from, c.to, c.reason, c.createdBy, c.createdAt],
    );
    return row;
  }

  /** Whether the room is closed on any date from `from` to `to`. */
  async closedBetween(roomId: string, from: string, to: string): Promise<boolean> {
    const rows = await this.q(
      `SELECT 1 FROM visit_room_closures
        WHERE room_id = $1 AND daterange(from_date, to_date, '[]') && daterange($2::date, $3::date, '[]')
        LIMIT 1`,
      [roomId, from, to],
    );
    return rows.length > 0;
  }

  closuresOf(roomIds: readonly string[]): Promise<VisitRoomClosure[]> {
    return this.q<VisitRoomClosure>(
      `SELECT ${CLOSURE_COLUMNS} FROM visit_room_closures c WHERE c.room_id = ANY($1::uuid[])
        ORDER BY c.from_date, c.id`,
      [roomIds],
    );
  }

  /**
   * The facility's active rooms holding `visitors`, each with its live bookings overlapping the
   * instants `from`..`to` and its closures touching the dates `firstDate`..`lastDate`: one
   * statement for a whole calendar window; which room is free when is then reckoned in memory
   * (domain/room-availability.ts).
   */
  roomLoads(
    facilityId: string,
    visitors: number,
    w: { from: Date; to: Date; firstDate: string; lastDate: string },
  ): Promise<RoomLoad[]> {
    return this.q<RoomLoad>(
      `SELECT r.id,
              (SELECT coalesce(json_agg(json_build_array(extract(epoch FROM v.starts_at) * 1000,
                                                         extract(epoch FROM v.ends_at) * 1000)), '[]')
                 FROM long_visits v
                WHERE v.room_id = r.id AND v.status IN ('requested','approved')
                  AND tstzrange(v.starts_at, v.ends_at) && tstzrange($3, $4)) AS busy,
              (SELECT coalesce(json_agg(json_build_array(c.from_date, c.to_date)), '[]')
                 FROM visit_room_closures c
                WHERE c.room_id = r.id
                  AND daterange(c.from_date, c.to_date, '[]') && daterange($5::date, $6::date, '[]')) AS closed
         FROM visit_rooms r
        WHERE r.facility_id = $1 AND r.active AND r.capacity >= $2
        ORDER BY r.name, r.id`,
      [facilityId, visitors, w.from, w.to, w.firstDate, w.lastDate],
      { prepare: true },
    );
  }

  /** Whether any active room of the facility holds this many visitors. */
  async anyHolding(facilityId: string, visitors: number): Promise<boolean> {
    const rows = await this.q(
      `SELECT 1 FROM visit_rooms WHERE facility_id = $1 AND active AND capacity >= $2 LIMIT 1`,
      [facilityId, visitors],
    );
    return rows.length > 0;
  }
}
