"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-26
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
import monitor.models


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('connector', sa.String(length=40), nullable=False),
    sa.Column('monitoring_started_at', monitor.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('last_success_at', monitor.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error_at', monitor.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('failing_since', monitor.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('paused_until', monitor.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('credentials_fingerprint', sa.String(length=64), nullable=True),
    sa.Column('notices', sa.JSON(), nullable=False),
    sa.Column('items_seen', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts')),
    sa.UniqueConstraint('name', name=op.f('uq_accounts_name'))
    )
    op.create_table('consent_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=True),
    sa.Column('post_id', sa.String(length=200), nullable=True),
    sa.Column('media_id', sa.String(length=200), nullable=True),
    sa.Column('given_by', sa.Text(), nullable=False),
    sa.Column('given_at', monitor.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('recorded_at', monitor.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_records'))
    )
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_records_media_id'), ['media_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_records_post_id'), ['post_id'], unique=False)

    op.create_table('erasures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', monitor.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=True),
    sa.Column('platform', sa.String(length=20), nullable=True),
    sa.Column('requested_by', sa.String(length=100), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasures'))
    )
    with op.batch_alter_table('erasures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erasures_subject'), ['subject'], unique=False)

    op.create_table('cursors',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.JSON(), nullable=False),
    sa.Column('updated_at', monitor.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_cursors_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_cursors'))
    )
    op.create_table('items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('parent_id', sa.String(length=200), nullable=True),
    sa.Column('author_id', sa.String(length=200), nullable=True),
    sa.Column('author_name', monitor.models.OutsideText(), nullable=True),
    sa.Column('text', monitor.models.OutsideText(), nullable=False),
    sa.Column('created_at', monitor.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('fetched_at', monitor.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('permalink', monitor.models.OutsideText(), nullable=True),
    sa.Column('media', sa.JSON(), nullable=False),
    sa.Column('own', sa.Boolean(), nullable=False),
    sa.Column('raw', sa.JSON(), nullable=True),
    sa.Column('quiet', sa.Boolean(), nullable=False),
    sa.Column('processed_at', monitor.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('process_attempts', sa.Integer(), nullable=False),
    sa.Column('process_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_items_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_items')),
    sa.UniqueConstraint('platform', 'external_id', name='uq_items_platform_external_id')
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index('ix_items_author', ['platform', 'author_id'], unique=False)
        batch_op.create_index('ix_items_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_items_parent', ['platform', 'parent_id'], unique=False)
        batch_op.create_index('ix_items_unprocessed', ['processed_at', 'id'], unique=False)

    op.create_table('poll_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('started_at', monitor.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', monitor.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('items_fetched', sa.Integer(), nullable=False),
    sa.Column('items_new', sa.Integer(), nullable=False),
    sa.Column('skipped', sa.Integer(), nullable=False),
    sa.Column('reads', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_poll_runs_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_runs'))
    )
    with op.batch_alter_table('poll_runs', schema=None) as batch_op:
        batch_op.create_index('ix_poll_runs_account_started', ['account_id', 'started_at'], unique=False)

    op.create_table('skipped_payloads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('raw', sa.JSON(), nullable=False),
    sa.Column('recorded_at', monitor.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_skipped_payloads_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skipped_payloads'))
    )
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('route', sa.String(length=60), nullable=False),
    sa.Column('opened_at', monitor.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('first_response_due', monitor.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolution_due', monitor.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at', monitor.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('responded_at', monitor.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', monitor.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('escalated_at', monitor.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('drafted_reply', sa.Text(), nullable=True),
    sa.Column('history', sa.JSON(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('reply_counts_as', sa.String(length=20), nullable=False),
    sa.Column('reply_deadline', monitor.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_cases_item_id_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('item_id', 'kind', name='uq_cases_item_id_kind')
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_item_id'), ['item_id'], unique=False)

    op.create_table('findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=40), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('detector', sa.String(length=40), nullable=False),
    sa.Column('detector_version', sa.String(length=80), nullable=False),
    sa.Column('target', sa.String(length=20), nullable=True),
    sa.Column('route', sa.String(length=60), nullable=True),
    sa.Column('spans', sa.JSON(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('created_at', monitor.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_findings_item_id_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_findings'))
    )
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_findings_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_findings_label', ['label'], unique=False)

    op.create_table('labels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('labels', sa.JSON(), nullable=False),
    sa.Column('target', sa.String(length=20), nullable=True),
    sa.Column('given_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', monitor.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_labels_item_id_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_labels'))
    )
    with op.batch_alter_table('labels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_labels_item_id'), ['item_id'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('route', sa.String(length=60), nullable=False),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=True),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('created_at', monitor.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', monitor.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('failure', sa.String(length=20), nullable=True),
    sa.Column('sent_at', monitor.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('message_id', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_outbox_item_id_items'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('dedupe_key', name='uq_outbox_dedupe_key')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_outbox_pending', ['state', 'next_attempt_at', 'id'], unique=False)

    op.create_table('planned_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('requested_by', sa.String(length=100), nullable=False),
    sa.Column('approved_by', sa.String(length=100), nullable=True),
    sa.Column('planned_at', monitor.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('approved_at', monitor.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempted_at', monitor.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_at', monitor.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_planned_actions_case_id_cases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_planned_actions_item_id_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planned_actions')),
    sa.UniqueConstraint('item_id', 'action', name='uq_planned_actions_item_id_action')
    )
    with op.batch_alter_table('planned_actions', schema=None) as batch_op:
        batch_op.create_index('ix_planned_actions_state', ['state'], unique=False)

    op.create_table('platform_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('requested_by', sa.String(length=100), nullable=False),
    sa.Column('at', monitor.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_platform_actions_case_id_cases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_platform_actions_item_id_items'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_actions'))
    )
    with op.batch_alter_table('platform_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_actions_item_id'), ['item_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('platform_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platform_actions_item_id'))

    op.drop_table('platform_actions')
    with op.batch_alter_table('planned_actions', schema=None) as batch_op:
        batch_op.drop_index('ix_planned_actions_state')

    op.drop_table('planned_actions')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_pending')
        batch_op.drop_index(batch_op.f('ix_outbox_item_id'))

    op.drop_table('outbox')
    with op.batch_alter_table('labels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_labels_item_id'))

    op.drop_table('labels')
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_index('ix_findings_label')
        batch_op.drop_index(batch_op.f('ix_findings_item_id'))

    op.drop_table('findings')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_item_id'))

    op.drop_table('cases')
    op.drop_table('skipped_payloads')
    with op.batch_alter_table('poll_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_poll_runs_account_started')

    op.drop_table('poll_runs')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_unprocessed')
        batch_op.drop_index('ix_items_parent')
        batch_op.drop_index('ix_items_created_at')
        batch_op.drop_index('ix_items_author')

    op.drop_table('items')
    op.drop_table('cursors')
    with op.batch_alter_table('erasures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasures_subject'))

    op.drop_table('erasures')
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_records_post_id'))
        batch_op.drop_index(batch_op.f('ix_consent_records_media_id'))

    op.drop_table('consent_records')
    op.drop_table('accounts')
