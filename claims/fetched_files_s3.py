"""Fetched files in a private S3 bucket (MEDIA_STORAGE=s3), for web and worker machines that share no disk.

Apart from claims/fetched_files.py so that only the processes that use object storage import boto3.
Like the filesystem storage it gives no URL: staff read snapshots through the sandboxed view.
"""

from storages.backends.s3 import S3Storage


class FetchedS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Fetched files have no URL: link the staff view that serves them (staff:source-snapshot).")
