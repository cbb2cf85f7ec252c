"""dashboard tokens: the /看板 links and the server's signing secret

Revision ID: 0007_dashboard_tokens
Revises: 0006_evidence_files
Create Date: 2026-12-02 07:40:00.000000

`dashboard_token` holds one row per /看板 link (person, role, alliance, expiry,
revocation); `server_secret` the key the links are signed with, made on first use.
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = '0007_dashboard_tokens'
down_revision = '0006_evidence_files'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'dashboard_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('alliance_id', sa.Integer(), nullable=True),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('revoked_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'], ),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
        sa.ForeignKeyConstraint(['revoked_by'], ['person.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('dashboard_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dashboard_token_person_id'), ['person_id'],
                              unique=False)
    op.create_table(
        'server_secret',
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('value', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('server_secret')
    with op.batch_alter_table('dashboard_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dashboard_token_person_id'))
    op.drop_table('dashboard_token')
